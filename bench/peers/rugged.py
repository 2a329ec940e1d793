"""The rugged test functions of docs/gp-rugged.md, with the standard library only, defined exactly as the C# ones in
src/HpcTune.Core/Objectives (Levy.cs, Rastrigin.cs, StyblinskiTang.cs); `python3 rugged.py NAME x1 x2 ...` prints
the value, which the C# tests compare with their own (tests/HpcTune.Core.Tests/Objectives/RuggedFunctionTests.cs)."""

import math
import sys

STYBLINSKI_TANG_X = -2.903534027771177  # root of 4x^3 - 32x + 5 in [-5, 0]
STYBLINSKI_TANG_MIN = -39.16616570377141  # one coordinate's term there


def levy(x):
    w = [1.0 + (v - 1.0) / 4.0 for v in x]
    value = math.sin(math.pi * w[0]) ** 2
    for wi in w[:-1]:
        value += (wi - 1.0) ** 2 * (1.0 + 10.0 * math.sin(math.pi * wi + 1.0) ** 2)
    value += (w[-1] - 1.0) ** 2 * (1.0 + math.sin(2.0 * math.pi * w[-1]) ** 2)
    return max(value, 0.0)


def rastrigin(x):
    return max(10.0 * len(x) + sum(v * v - 10.0 * math.cos(2.0 * math.pi * v) for v in x), 0.0)


def styblinski_tang(x):
    return max(sum(v ** 4 - 16.0 * v * v + 5.0 * v for v in x) / 2.0, STYBLINSKI_TANG_MIN * len(x))


# name -> (function, dimension, lower, upper, minimum)
FUNCTIONS = {
    "levy8": (levy, 8, -10.0, 10.0, 0.0),
    "rastrigin8": (rastrigin, 8, -5.12, 5.12, 0.0),
    "styblinskitang10": (styblinski_tang, 10, -5.0, 5.0, STYBLINSKI_TANG_MIN * 10),
}

FAMILIES = {"levy": levy, "rastrigin": rastrigin, "styblinskitang": styblinski_tang}

if __name__ == "__main__":
    print(repr(FAMILIES[sys.argv[1]]([float(v) for v in sys.argv[2:]])))
