"""Runs a real ``HpcTune serve`` for the tests: the published CLI (artifacts/publish/HpcTune/HpcTune.dll, or
HPCTUNE_CLI_DLL's), started on a free loopback port; its URL comes from the line it prints when ready."""

import contextlib
import json
import os
import queue
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

CLIENTS_PYTHON = Path(__file__).resolve().parents[1]
REPOSITORY = CLIENTS_PYTHON.parents[1]
sys.path.insert(0, str(CLIENTS_PYTHON))

READY_TIMEOUT = 60.0


def serve_command():
    """``dotnet HpcTune.dll``, or HPCTUNE_TEST_SERVE's command (another build of serve)."""
    other = os.environ.get("HPCTUNE_TEST_SERVE")
    if other:
        return shlex.split(other)
    dll = Path(os.environ.get("HPCTUNE_CLI_DLL") or REPOSITORY / "artifacts" / "publish" / "HpcTune" / "HpcTune.dll")
    if not dll.is_file():
        raise RuntimeError(f"{dll} is missing: publish the CLI first (bash .ci/build, or bash .ci/publish-cli "
                           "src/HpcTune/HpcTune.csproj artifacts/publish/HpcTune \"$PWD/build/native\")")
    return ["dotnet", str(dll)]


class ServeProcess:
    """``serve`` with ``arguments``; ``folder`` holds the token (DIR of --checkpoint or --root)."""

    def __init__(self, folder, *arguments):
        self.folder = Path(folder)
        self.arguments = list(arguments)
        self.process = None
        self.url = None
        self.listen = "127.0.0.1:0"
        self._stderr = None

    @property
    def token(self):
        return (self.folder / "token").read_text(encoding="utf-8").strip()

    @property
    def token_file(self):
        return str(self.folder / "token")

    def start(self):
        """Starts serve and waits for its 'listening on URL' line; a restart listens on the same port."""
        self._close_streams()
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self.process = subprocess.Popen(
            serve_command() + ["serve", *self.arguments, "--listen", self.listen],
            stdout=subprocess.PIPE, stderr=self._stderr, stdin=subprocess.DEVNULL, text=True, bufsize=1)
        lines = queue.Queue()
        threading.Thread(target=_pump, args=(self.process.stdout, lines), daemon=True).start()
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                raise RuntimeError(f"serve printed no 'listening on' line in {READY_TIMEOUT:g} s: {self.stderr()}")
            if line is None:
                self.process.wait()
                raise RuntimeError(f"serve exited with {self.process.returncode} before listening: {self.stderr()}")
            if line.startswith("listening on "):
                self.url = line[len("listening on "):].strip()
                self.listen = self.url.split("://", 1)[1]
                return self

    def stderr(self):
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read()[-4000:]

    def kill(self):
        """kill -9, as a crash."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        if self.process:
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_streams()

    def _close_streams(self):
        if self.process and self.process.stdout:
            self.process.stdout.close()
        if self._stderr:
            self._stderr.close()
            self._stderr = None


def _pump(stream, lines):
    for line in stream:
        lines.put(line)
    lines.put(None)


def write_study(folder, **changes):
    """A small study file (CONTRACTS.md §1) with the random sampler; ``changes`` replace its top-level fields."""
    study = {
        "name": "python-client",
        "parameters": [
            {"name": "x", "type": "double", "bounds": {"min": -2.0, "max": 2.0}},
            {"name": "n", "type": "int", "bounds": {"min": 1, "max": 5}},
            {"name": "kind", "type": "categorical", "categorical_values": ["a", "b"]},
        ],
        "metrics": [{"name": "loss", "objective": "minimize"}],
        "observation_budget": 6,
        "parallel_bandwidth": 2,
        "algorithm": {"name": "random", "seed": 7},
    }
    study.update(changes)
    path = Path(folder) / "study.json"
    path.write_text(json.dumps(study), encoding="utf-8")
    return path, study


class RootServerTestCase(unittest.TestCase):
    """One ``serve --root`` for the whole class; each test creates the studies it needs."""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.server = ServeProcess(cls.folder.name + "/root", "--root", cls.folder.name + "/root").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.folder.cleanup()


@contextlib.contextmanager
def environment(**values):
    """Sets (a value) or removes (None) environment variables, and puts them back after."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        _set_environment(values)
        yield
    finally:
        _set_environment(saved)


def _set_environment(values):
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
