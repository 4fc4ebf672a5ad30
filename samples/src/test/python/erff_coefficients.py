"""Coefficients of Erf.erf(float), the float32 erf of the MLP's GELU, and its measured error.

Two pieces, each a polynomial evaluated by float32 FMAs (Horner):
  |x| < 0.921875:  erf(x) = x + x * P(x^2), P ~ erf(x)/x - 1 (degree 6; stored minus 1 so that the leading
                   2/sqrt(pi) - 1 is rounded relative to the small P, not to the result)
  0.921875 <= |x| < 4: erf(x) = 1 - exp(Q(|x| - 0.921875)), Q ~ log(erfc(x)) (degree 11)
  |x| >= 4:        erf(x) = 1 (erfc(4) = 1.5e-8 is under half an ulp below 1)
Fitted by least squares at Chebyshev nodes against mpmath (40 digits), one coefficient at a time from the
constant term up: each is rounded to float32 and the higher ones refitted around it, so the float
coefficients keep the fit's accuracy. Then every piece is evaluated as the Java code does (float32 FMA
Horner, a correctly rounded float32 exp) on a dense grid of floats and compared with math.erf.

  python3 erff_coefficients.py > erff_coefficients.txt
"""
import math

import mpmath
import numpy as np

mpmath.mp.dps = 40
SPLIT, LIMIT = 0.921875, 4.0


def fit(fn, lo, hi, degree, centre, relative=False, shift=0.0, nodes=3000):
    k = np.arange(nodes)
    x = (lo + hi) / 2 + (hi - lo) / 2 * np.cos(np.pi * (k + 0.5) / nodes)
    y = np.array([fn(v) for v in x])
    v = np.vander(x - centre, degree + 1, increasing=True)
    weight = 1 / np.abs(y) if relative else np.ones(nodes)
    fixed = []
    for j in range(degree + 1):
        rest = y - (v[:, :j] @ np.array(fixed) if j else 0)
        c, *_ = np.linalg.lstsq(v[:, j:] * weight[:, None], rest * weight, rcond=None)
        s = shift if j == 0 else 0.0
        fixed.append(float(np.float32(c[0] + s)) - s)
    c = np.array(fixed)
    return c, float((np.abs(v @ c - y) * weight).max())


def small(s):
    return float(mpmath.erf(mpmath.sqrt(s)) / mpmath.sqrt(s)) if s > 0 else 2 / math.sqrt(math.pi)


p, p_err = fit(small, 0, SPLIT * SPLIT, 6, 0, relative=True, shift=-1.0)
p[0] -= 1.0
q, q_err = fit(lambda a: float(mpmath.log(mpmath.erfc(a))), SPLIT, LIMIT, 11, SPLIT)
assert all(float(np.float32(c)) == c for c in list(p) + list(q))


def horner(c, t):
    v = np.full_like(t, c[-1])
    for cc in c[-2::-1]:
        v = (v * t + cc).astype(np.float32).astype(np.float64)  # one rounding per FMA
    return v


def erff(x):
    a = np.abs(x).astype(np.float64)
    s = (a * a).astype(np.float32).astype(np.float64)
    small_part = (a * horner(p, s) + a).astype(np.float32)
    t = (a - SPLIT).astype(np.float32).astype(np.float64)
    e = np.exp(horner(q, t)).astype(np.float32)
    large_part = (np.float32(1) - e).astype(np.float32)
    r = np.where(a < SPLIT, small_part, np.where(a < LIMIT, large_part, np.float32(1)))
    return np.copysign(r, x).astype(np.float32)


xs = np.concatenate([np.linspace(0, 5, 2_000_001), 2.0 ** np.arange(-30, 0, 0.01)]).astype(np.float32)
ref = np.array([math.erf(float(v)) for v in xs])
ulps = np.abs(erff(xs).astype(np.float64) - ref) / np.spacing(np.abs(ref).astype(np.float32))


def java(c):
    return ", ".join(repr(float(np.float32(v))) + "f" for v in c)


print("fit error: P relative %.3g, Q absolute %.3g" % (p_err, q_err))
print("P = {" + java(p) + "}")
print("Q = {" + java(q) + "}")
print("float32 evaluation on %d floats in [0, 5]: max error %.3f ulp (at %r), mean %.3f ulp"
      % (len(xs), ulps.max(), float(xs[ulps.argmax()]), ulps.mean()))
