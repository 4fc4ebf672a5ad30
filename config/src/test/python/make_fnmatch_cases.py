#!/usr/bin/env python3
"""Writes runtime/src/test/resources/hf/fnmatch_cases.tsv: pattern, name and whether Python's
fnmatch.fnmatchcase matches them (1 or 0), one case a line, tab-separated, UTF-8. IgnorePatternsTest checks
jquant's glob matcher against every line. Hand-picked cases (brackets, ranges, empty and reversed ranges,
negation, runs of stars) come first, then seeded random ones over a small alphabet of the characters that
matter. No pattern or name holds a tab or a newline.

Usage: python3 runtime/src/test/python/make_fnmatch_cases.py > runtime/src/test/resources/hf/fnmatch_cases.tsv
"""
import fnmatch
import random
import sys

HAND = [
    ("*", ""), ("*", "model.layers.0.mlp"), ("?", ""), ("?", "a"), ("?", "ab"), ("?", "\U0001d4b3"),
    ("model.layers.*.mlp", "model.layers.12.mlp"), ("model.layers.*.mlp", "model.layers.12.mlp.up_proj"),
    ("*.[qk]_proj", "model.layers.0.self_attn.k_proj"), ("*.[qk]_proj", "model.layers.0.self_attn.v_proj"),
    ("model.layers.[!0].mlp", "model.layers.5.mlp"), ("model.layers.[!0].mlp", "model.layers.0.mlp"),
    ("[a", "[a"), ("[a", "a"), ("[]]", "]"), ("[]a]", "a"), ("[!]]", "]"), ("[!]]", "x"), ("[!]", "[!]"),
    ("[a-c]", "b"), ("[a-c]", "d"), ("[c-a]", "b"), ("[c-a]", "c"), ("[!c-a]", "x"), ("[!c-a]", ""),
    ("[a-]", "-"), ("[-a]", "-"), ("[!-a]", "-"), ("[!-a]", "b"), ("[a-c-e]", "-"), ("[a-c-e]", "d"),
    ("[a-c-e]", "e"), ("[a-cd-f]", "e"), ("[a-b--c]", "/"), ("[a-b--c]", "b"), ("[a--]", "a"),
    ("[a--]", "-"), ("[c-a!z]", "z"), ("[c-a!z]", "y"), ("[c-a!-e]", "-"), ("[c-a!-e]", "x"),
    ("[c-a!-e]", "e"), ("[^a]", "^"), ("[^a]", "b"), ("[[]", "["), ("[&&a]", "&"), ("[a|b]", "|"),
    ("[\\]", "\\"), ("[\\-a]", "]"), ("[\\-a]", "\\"), ("[b-ad-f]", "e"), ("[!b-ad-f]", "e"),
    ("[*]", "*"), ("[*]", "a"), ("[?]", "?"), ("[?]", "a"), ("a*b*c", "abc"), ("a*b*c", "aXbYc"),
    ("a*b*c", "acb"), ("*a", "ba"), ("*a", "ab"), ("**a**", "xxaxx"), ("a.b", "aXb"), ("a+b", "a+b"),
    ("(a)", "(a)"), ("a$", "a$"), ("\\d", "\\d"), ("\\d", "1"),
    ("*" * 40 + "X", "a" * 60), ("*" * 40 + "X", "a" * 60 + "X"), ("*a" * 20 + "X", "a" * 60),
    ("*a*a*a*a*a*a*a*a*b", "a" * 80), ("*a*a*a*a*a*a*a*a*b", "a" * 80 + "b"),
]

ALPHABET = "ab.-!^]*?["


def random_pattern(rng):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8)))


def random_name(rng):
    return "".join(rng.choice("ab.-!^][*?c") for _ in range(rng.randint(0, 8)))


def name_like(rng, pattern):
    """A name made from the pattern (each star a random run, each other character kept or replaced), so
    that about half the random cases match."""
    out = []
    for c in pattern:
        if c == "*":
            out.append(random_name(rng)[: rng.randint(0, 3)])
        elif c == "?" or rng.random() < 0.15:
            out.append(rng.choice("ab.-!^]c"))
        elif c != "[" or rng.random() < 0.5:
            out.append(c)
    return "".join(out)


def main():
    rng = random.Random(20261207)
    cases = list(HAND)
    for _ in range(1000):
        cases.append((random_pattern(rng), random_name(rng)))
    for _ in range(1000):
        pattern = random_pattern(rng)
        cases.append((pattern, name_like(rng, pattern)))
    out = sys.stdout
    for pattern, name in cases:
        assert "\t" not in pattern + name and "\n" not in pattern + name
        out.write(f"{pattern}\t{name}\t{int(fnmatch.fnmatchcase(name, pattern))}\n")


if __name__ == "__main__":
    main()
