"""Runs every unittest test under the folder given (as `python3 -m unittest discover -s FOLDER` does), then prints one
line for CI (.ci/test adds it to its totals): "python tests: P passed, F failed, S skipped". A class whose setUpClass
failed counts as one failure (its tests never ran)."""

import sys
import unittest
from pathlib import Path

if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
    sys.exit(f"usage: {Path(sys.argv[0]).name} TEST_FOLDER (got {sys.argv[1:]})")

here = Path(sys.argv[1]).resolve()
suite = unittest.defaultTestLoader.discover(str(here), top_level_dir=str(here))
result = unittest.TextTestRunner(verbosity=2).run(suite)
ran_and_broke = sum(1 for test, _ in result.errors + result.failures if isinstance(test, unittest.TestCase))
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped)
passed = result.testsRun - ran_and_broke - skipped - len(result.unexpectedSuccesses)
print(f"python tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(0 if result.wasSuccessful() else 1)
