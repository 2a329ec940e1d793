"""The rugged functions of bench/peers/rugged.py reach their known minima at their known minimizers and nowhere below
(the C# side compares its values with these: tests/HpcTune.Core.Tests/Objectives/RuggedFunctionTests.cs)."""

import random
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import rugged as R  # noqa: E402

MINIMIZERS = {"levy8": 1.0, "rastrigin8": 0.0, "styblinskitang10": R.STYBLINSKI_TANG_X}


class RuggedFunctionTests(unittest.TestCase):
    def test_the_minimizer_reaches_the_minimum(self):
        for name, (function, dimension, _, _, minimum) in R.FUNCTIONS.items():
            with self.subTest(name):
                self.assertAlmostEqual(function([MINIMIZERS[name]] * dimension), minimum, places=6)

    def test_no_random_point_beats_the_minimum(self):
        draw = random.Random(1)
        for name, (function, dimension, lower, upper, minimum) in R.FUNCTIONS.items():
            for _ in range(500):
                x = [draw.uniform(lower, upper) for _ in range(dimension)]
                self.assertGreaterEqual(function(x), minimum - 1e-9, name)

    def test_styblinski_tang_has_a_shallow_basin(self):
        shallow = R.styblinski_tang([2.7468]) - R.STYBLINSKI_TANG_MIN
        self.assertTrue(13 < shallow < 15, shallow)


if __name__ == "__main__":
    unittest.main()
