"""A background thread that keeps the leases of trials alive while they are evaluated.

The server takes a trial back from a worker that stops heartbeating it (``serve --lease``); a worker heartbeats each
of its trials every ``heartbeat_seconds`` the server named in its suggest answer. An answer ``abandon`` (the trial
finished elsewhere or went to another worker) ends the heartbeats of that trial and is kept for the evaluator to see.
"""

import threading
import time

from .errors import HpcTuneError


class Heartbeats:
    """Heartbeats every trial added until it is removed. ``interval()`` gives the seconds between rounds (0: the
    server keeps no leases, nothing to send)."""

    def __init__(self, interval, name="hpctune-heartbeat"):
        self._interval = interval
        self._name = name
        self._beats = {}
        self._abandoned = {}
        self._changed = threading.Condition()
        self._thread = None
        self._closed = False
        self.last_error = None

    def add(self, key, beat):
        """Heartbeats ``key`` with ``beat()`` (returns a HeartbeatAnswer) until ``remove(key)``."""
        with self._changed:
            self._beats[key] = beat
            self._abandoned.pop(key, None)
            if self._thread is None or not self._thread.is_alive():
                self._closed = False
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def remove(self, key):
        """Stops heartbeating ``key``; returns why it was abandoned, or None."""
        with self._changed:
            self._beats.pop(key, None)
            return self._abandoned.pop(key, None)

    def abandoned(self, key):
        """Why the server said to abandon ``key``, or None while it still runs here."""
        with self._changed:
            return self._abandoned.get(key)

    def close(self):
        with self._changed:
            self._closed = True
            self._beats.clear()
            self._changed.notify_all()

    def _run(self):
        next_round = None
        while True:
            with self._changed:
                while True:
                    if self._closed:
                        return
                    interval = self._interval()
                    if not self._beats or interval <= 0:
                        # Nothing to send (no trials, or no leases): wait for a trial to be added.
                        next_round = None
                        self._changed.wait(None if not self._beats else 1.0)
                        continue
                    now = time.monotonic()
                    if next_round is None:
                        next_round = now + interval
                    if now >= next_round:
                        break
                    self._changed.wait(next_round - now)
                next_round = time.monotonic() + interval
                due = list(self._beats.items())
            for key, beat in due:
                self._beat(key, beat)

    def _beat(self, key, beat):
        try:
            answer = beat()
        except HpcTuneError as error:
            # The transport already retried for retry_timeout; the next round tries again.
            self.last_error = error
            return
        if answer.abandon:
            with self._changed:
                if key in self._beats:
                    del self._beats[key]
                    self._abandoned[key] = answer.reason or "the server says to abandon this trial"
