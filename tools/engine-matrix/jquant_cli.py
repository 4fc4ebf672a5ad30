"""The jquant checkout under test: its build, its `jquant quantize` formats, quantize and dequantize runs, and
the serving resources the annotation processor generated for the samples."""

import glob
import os
import re
import subprocess

STORIES260K = "samples/src/test/data/stories260K"
RESOURCES = "samples/target/classes/META-INF/jquant"


def build(checkout):
  """The cli jar (for ./jquant) and the samples (whose compilation runs the annotation processor)."""
  subprocess.run(["mvn", "-B", "-o", "-q", "-DskipTests", "package", "-pl", "cli,samples", "-am"],
                 cwd=checkout, check=True)


def run(checkout, *args):
  """(exit code, stdout, stderr) of ./jquant ARGS, with the launcher's own build skipped."""
  env = dict(os.environ, JQUANT_NO_BUILD="1")
  done = subprocess.run([os.path.join(checkout, "jquant"), *args], cwd=checkout, env=env,
                        capture_output=True, text=True)
  return done.returncode, done.stdout, done.stderr


def formats(checkout):
  """The --format values `jquant quantize --help` lists ("Target format: a, b, c.")."""
  code, out, err = run(checkout, "quantize", "--help")
  text = " ".join((out + err).split())
  match = re.search(r"--format=<?\w*>?\s+Target format: ([^.]+)\.", text)
  if code != 0 or not match:
    raise SystemExit(f"cannot read the formats from `jquant quantize --help` (exit {code}): {text[:400]}")
  return [f.strip() for f in match.group(1).split(",") if f.strip()]


def error_line(stderr):
  lines = [line for line in stderr.strip().splitlines() if line.strip()]
  errors = [line for line in lines if line.startswith(("error", "jquant:"))]
  return (errors or lines or ["(no message)"])[-1]


def quantize(checkout, fmt, out, calibration=None):
  args = ["quantize", f"--format={fmt}"]
  if calibration:
    args.append(f"--calibration={calibration}")
  code, _, err = run(checkout, *args, os.path.join(checkout, STORIES260K), out)
  return code, error_line(err) if code != 0 else ""


def dequantize(checkout, directory, out):
  code, _, err = run(checkout, "dequantize", "--dtype=f32", directory, out)
  return code, error_line(err) if code != 0 else ""


def inspect_format(checkout, directory):
  """jquant's own reading of the export (`jquant inspect`): its format line, or its refusal."""
  code, out, err = run(checkout, "inspect", directory)
  if code != 0:
    return None, error_line(err)
  match = re.search(r"^format: (.*)$", out, re.MULTILINE)
  return (match.group(1) if match else "?"), ""


def resources(checkout):
  """{model class: directory} of the generated serving resources."""
  return {os.path.basename(d): d for d in sorted(glob.glob(os.path.join(checkout, RESOURCES, "*")))
          if os.path.isdir(d)}
