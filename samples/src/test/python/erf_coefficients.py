"""Coefficients of Erf.java: erf on [0, 6) as 12 polynomials of degree 13, one per interval of 0.5,
each in t = z - (interval centre), fitted by least squares to mpmath's erf (50 digits) at 64 Chebyshev
nodes. Also prints reference values ErfTest checks (as double bit patterns).

  python3 erf_coefficients.py
"""
import mpmath
import numpy as np

mpmath.mp.dps = 50
WIDTH, COUNT, DEGREE = 0.5, 12, 13


def fit(lo):
    centre = lo + WIDTH / 2
    nodes = [centre + WIDTH / 2 * mpmath.cos(mpmath.pi * (k + 0.5) / 64) for k in range(64)]
    a = mpmath.matrix([[(x - centre) ** j for j in range(DEGREE + 1)] for x in nodes])
    b = mpmath.matrix([mpmath.erf(x) for x in nodes])
    coeffs = mpmath.lu_solve(a.T * a, a.T * b)
    return [float(c) for c in coeffs]


rows = [fit(i * WIDTH) for i in range(COUNT)]
print("  private static final double[][] COEFFICIENTS = {")
for row in rows:
    print("    {" + ", ".join(repr(c) for c in row) + "},")
print("  };")

# Worst error of the double evaluation on a dense grid, against mpmath.
worst = 0.0
for z in np.linspace(0, 5.999, 6001):
    i = int(z / WIDTH)
    t = z - (i * WIDTH + WIDTH / 2)
    v = 0.0
    for c in reversed(rows[i]):
        v = v * t + c
    worst = max(worst, abs(v - float(mpmath.erf(z))))
print("// worst absolute error on a 6001-point grid:", worst)
for z in [1e-3, 0.3, 0.84375, 1.7, 2.5, 3.9, 5.5]:
    print("// erf(%r) = %r" % (z, float(mpmath.erf(z))))
