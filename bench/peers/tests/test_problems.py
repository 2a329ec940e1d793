"""The shared benchmark problems and the exact hypervolume of bench/peers/problems.py, against values known in closed
form; prints the Gardner toy's and ZDT1's values at known optima as a sanity check."""

import math
import sys
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import problems as P  # noqa: E402


class HypervolumeTests(unittest.TestCase):
    def test_one_point_is_its_box(self):
        self.assertAlmostEqual(P.hypervolume_2d([(1.0, 2.0)], (3.0, 5.0)), 2.0 * 3.0)

    def test_two_points_add_their_union(self):
        # (1,3) and (2,1) under (4,4): boxes 3·1 and 2·3 overlap in 2·1, so 3 + 6 − 2 = 7.
        self.assertAlmostEqual(P.hypervolume_2d([(2.0, 1.0), (1.0, 3.0)], (4.0, 4.0)), 7.0)

    def test_dominated_and_duplicate_points_add_nothing(self):
        base = P.hypervolume_2d([(1.0, 3.0), (2.0, 1.0)], (4.0, 4.0))
        more = P.hypervolume_2d([(1.0, 3.0), (2.0, 1.0), (3.0, 3.5), (2.0, 1.0), (2.0, 2.0)], (4.0, 4.0))
        self.assertAlmostEqual(base, more)

    def test_points_outside_the_reference_add_nothing(self):
        self.assertEqual(P.hypervolume_2d([(5.0, 0.0), (0.0, 4.0), (4.0, 1.0)], (4.0, 4.0)), 0.0)
        self.assertEqual(P.hypervolume_2d(np.empty((0, 2)), (4.0, 4.0)), 0.0)

    def test_order_of_points_does_not_matter(self):
        rng = np.random.default_rng(3)
        pts = rng.random((40, 2))
        self.assertAlmostEqual(P.hypervolume_2d(pts, (1.0, 1.0)), P.hypervolume_2d(pts[::-1], (1.0, 1.0)))

    def test_matches_a_monte_carlo_estimate(self):
        rng = np.random.default_rng(7)
        pts = rng.random((15, 2))
        samples = rng.random((200_000, 2))
        dominated = np.zeros(len(samples), dtype=bool)
        for p in pts:
            dominated |= (samples[:, 0] >= p[0]) & (samples[:, 1] >= p[1])
        self.assertAlmostEqual(P.hypervolume_2d(pts, (1.0, 1.0)), dominated.mean(), delta=0.005)

    def test_pareto_front_keeps_only_nondominated_points(self):
        front = P.pareto_front([(1.0, 3.0), (2.0, 1.0), (2.0, 2.0), (3.0, 0.5), (1.0, 4.0)])
        self.assertEqual([tuple(p) for p in front], [(1.0, 3.0), (2.0, 1.0), (3.0, 0.5)])


def dense_front(problem, first_coordinates, rest):
    return [problem.function([u] + rest) for u in first_coordinates]


class ProblemTests(unittest.TestCase):
    def test_zdt1_front_and_its_hypervolume(self):
        # On the front (x2..x6 = 0, g = 1), f2 = 1 − sqrt(f1); its hypervolume under (11, 11) is 121 − 1/3.
        f = P.zdt1([0.25, 0, 0, 0, 0, 0])
        self.assertAlmostEqual(f[0], 0.25)
        self.assertAlmostEqual(f[1], 0.5)
        front = dense_front(P.PROBLEMS["zdt1"], np.linspace(0, 1, 20001), [0.0] * 5)
        hv = P.hypervolume_2d(front, P.PROBLEMS["zdt1"].reference)
        self.assertAlmostEqual(hv, 121.0 - 1.0 / 3.0, places=3)
        print(f"\n  ZDT1 on its front: f(0.25, 0…) = {f}, hypervolume of the dense front {hv:.4f} (ideal {121 - 1/3:.4f})")

    def test_zdt1_off_the_front(self):
        # x2..x6 = 1: g = 10, f2 = 10·(1 − sqrt(f1/10)).
        self.assertAlmostEqual(P.zdt1([0.4, 1, 1, 1, 1, 1])[1], 10.0 * (1.0 - math.sqrt(0.04)))

    def test_dtlz2_front_is_the_unit_quarter_circle(self):
        f = P.dtlz2([1.0 / 3.0, 0.5, 0.5, 0.5, 0.5, 0.5])
        self.assertAlmostEqual(f[0], math.cos(math.pi / 6))
        self.assertAlmostEqual(f[1], math.sin(math.pi / 6))
        self.assertAlmostEqual(P.dtlz2([0.0, 1, 1, 1, 1, 1])[0], 1.0 + 5 * 0.25)
        front = dense_front(P.PROBLEMS["dtlz2"], np.linspace(0, 1, 20001), [0.5] * 5)
        hv = P.hypervolume_2d(front, P.PROBLEMS["dtlz2"].reference)
        self.assertAlmostEqual(hv, 1.21 - math.pi / 4, places=3)
        print(f"\n  DTLZ2: hypervolume of the dense front {hv:.5f} (ideal 1.21 − π/4 = {1.21 - math.pi / 4:.5f})")

    def test_branin_has_its_three_minima(self):
        for u, v in [(-math.pi, 12.275), (math.pi, 2.275), (9.42478, 2.475)]:
            self.assertAlmostEqual(P.branin(u, v), 0.397887, places=5)
        x = ((math.pi + 5) / 15, 2.275 / 15)
        self.assertAlmostEqual(P.branin_currin(x)[0], 0.397887, places=5)

    def test_currin_known_values(self):
        # Currin at (0.5, 0.5): (1 − e^-1)·(287.5 + 475 + 1046 + 60)/(12.5 + 125 + 2 + 20).
        expected = (1 - math.exp(-1)) * (287.5 + 475 + 1046 + 60) / (12.5 + 125 + 2 + 20)
        self.assertAlmostEqual(P.branin_currin((0.5, 0.5))[1], expected)
        self.assertAlmostEqual(P.currin(0.0, 0.0), 3.0)  # its x2 → 0 limit: 60/20

    def test_gardner_values_and_constrained_optimum(self):
        f, c = P.gardner((0.0, 0.0))
        self.assertAlmostEqual(f, 1.0)
        self.assertAlmostEqual(c, 1.0)  # cos(x + y) = 1: infeasible
        f, c = P.gardner((math.pi / 2, 0.0))
        self.assertAlmostEqual(f, 0.0)
        self.assertAlmostEqual(c, 0.0)
        # c = cos(x + y). The minimum −2 needs sin x = −1 and cos 2x·cos y = −1: x = 3π/2, y = 0 (2π is outside
        # [0, 6]), where c = cos(3π/2) = 0 is feasible, so on this box the constraint does not move the optimum.
        g = np.linspace(0, 6, 1201)
        x, y = np.meshgrid(g, g, indexing="ij")
        values = np.cos(2 * x) * np.cos(y) + np.sin(x)
        feasible = np.cos(x) * np.cos(y) - np.sin(x) * np.sin(y) <= P.GARDNER_THRESHOLD
        best = values[feasible].min()
        i = np.argmin(np.where(feasible, values, np.inf))
        at = (float(x.flat[i]), float(y.flat[i]))
        self.assertAlmostEqual(P.gardner(at)[0], best)
        self.assertLess(best, -1.9)
        self.assertGreaterEqual(best, -2.0)
        unconstrained = values.min()
        print(f"\n  Gardner: best feasible value on a 1201² grid {best:.4f} at {tuple(round(v, 3) for v in at)}, "
              f"unconstrained minimum {unconstrained:.4f}, feasible share of the box {feasible.mean():.3f}")

    def test_best_feasible_ignores_infeasible_values(self):
        self.assertEqual(P.best_feasible([-3.0, -1.0, 0.5], [0.6, 0.5, -1.0]), -1.0)
        self.assertTrue(math.isnan(P.best_feasible([-3.0], [0.9])))


if __name__ == "__main__":
    unittest.main()
