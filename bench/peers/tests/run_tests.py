"""Runs the peer drivers' tests (bench/peers: problems and hypervolume; no Optuna needed), then prints one line for CI
"python tests: P passed, F failed, S skipped"."""

import sys
import unittest
from pathlib import Path

here = Path(__file__).resolve().parent
suite = unittest.defaultTestLoader.discover(str(here), top_level_dir=str(here))
result = unittest.TextTestRunner(verbosity=2).run(suite)
ran_and_broke = sum(1 for test, _ in result.errors + result.failures if isinstance(test, unittest.TestCase))
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped)
passed = result.testsRun - ran_and_broke - skipped - len(result.unexpectedSuccesses)
print(f"python tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(0 if result.wasSuccessful() else 1)
