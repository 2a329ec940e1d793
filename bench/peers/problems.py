"""The issue-27 benchmark problems and the exact 2-D hypervolume, with numpy only, so that the peer drivers and their
tests share one definition (the shared definitions every side of the comparison uses; see docs/peers.md)."""

import math

import numpy as np


def zdt1(x):
    """ZDT1 on [0,1]^d (d = 6 here), two objectives to minimize."""
    x = np.asarray(x, dtype=float)
    f1 = x[0]
    g = 1.0 + 9.0 * float(np.mean(x[1:]))
    return (f1, g * (1.0 - math.sqrt(f1 / g)))


def dtlz2(x):
    """DTLZ2 with two objectives on [0,1]^d (d = 6 here), minimize both."""
    x = np.asarray(x, dtype=float)
    g = float(np.sum((x[1:] - 0.5) ** 2))
    return ((1.0 + g) * math.cos(x[0] * math.pi / 2.0), (1.0 + g) * math.sin(x[0] * math.pi / 2.0))


def branin(u, v):
    """Branin on its usual domain u ∈ [-5, 10], v ∈ [0, 15]."""
    b, c, t = 5.1 / (4.0 * math.pi ** 2), 5.0 / math.pi, 1.0 / (8.0 * math.pi)
    return (v - b * u * u + c * u - 6.0) ** 2 + 10.0 * (1.0 - t) * math.cos(u) + 10.0


def currin(x1, x2):
    """Currin's exponential function on [0,1]^2; x2 = 0 is its limit (the exponential term is 1)."""
    factor = 1.0 if x2 == 0.0 else 1.0 - math.exp(-1.0 / (2.0 * x2))
    return factor * (2300.0 * x1 ** 3 + 1900.0 * x1 ** 2 + 2092.0 * x1 + 60.0) / (
        100.0 * x1 ** 3 + 500.0 * x1 ** 2 + 4.0 * x1 + 20.0)


def branin_currin(x):
    """BoTorch's BraninCurrin on [0,1]^2 (unnormalized, minimize both)."""
    return (branin(15.0 * x[0] - 5.0, 15.0 * x[1]), currin(x[0], x[1]))


def gardner(x):
    """Gardner et al. 2014's toy on [0,6]^2: returns (objective to minimize, constraint value c; feasible when c ≤ 0.5)."""
    a, b = x
    return (math.cos(2.0 * a) * math.cos(b) + math.sin(a), math.cos(a) * math.cos(b) - math.sin(a) * math.sin(b))


GARDNER_THRESHOLD = 0.5


class Problem:
    def __init__(self, name, dim, low, high, function, reference=None, constrained=False):
        self.name, self.dim, self.low, self.high = name, dim, low, high
        self.function, self.reference, self.constrained = function, reference, constrained


PROBLEMS = {
    "zdt1": Problem("zdt1", 6, 0.0, 1.0, zdt1, reference=(11.0, 11.0)),
    "dtlz2": Problem("dtlz2", 6, 0.0, 1.0, dtlz2, reference=(1.1, 1.1)),
    "branin-currin": Problem("branin-currin", 2, 0.0, 1.0, branin_currin, reference=(18.0, 6.0)),
    "gardner": Problem("gardner", 2, 0.0, 6.0, gardner, constrained=True),
}


def pareto_front(points):
    """The non-dominated points (minimization) of an (n, 2) array, sorted by the first objective."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(pts) == 0:
        return pts
    order = np.lexsort((pts[:, 1], pts[:, 0]))
    front, best_second = [], math.inf
    for p in pts[order]:
        if p[1] < best_second:
            front.append(p)
            best_second = p[1]
    return np.array(front)


def hypervolume_2d(points, reference):
    """Exact hypervolume dominated by the points (minimization) inside the box bounded by the reference point;
    points that do not strictly dominate the reference contribute nothing."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    r1, r2 = reference
    pts = pts[(pts[:, 0] < r1) & (pts[:, 1] < r2)]
    volume, previous_second = 0.0, r2
    for f1, f2 in pareto_front(pts):
        volume += (r1 - f1) * (previous_second - f2)
        previous_second = f2
    return volume


def best_feasible(values, constraints, threshold=GARDNER_THRESHOLD):
    """The smallest objective among the evaluations whose constraint value is at most the threshold, or nan."""
    feasible = [v for v, c in zip(values, constraints) if c <= threshold]
    return min(feasible) if feasible else math.nan
