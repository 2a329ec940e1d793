"""The client's retry rules and heartbeat thread, against a stub HTTP server that answers as told: the answers a
real serve gives only while it stops or fails (503), or behind a proxy (429 with Retry-After)."""

import json
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import serve_process  # noqa: F401 (puts clients/python on sys.path)

from hpctune import Client, HeartbeatAnswer, RequestTooLargeError, UnavailableError
from hpctune.heartbeat import Heartbeats


class _Stub(BaseHTTPRequestHandler):
    answers = []
    seen = []

    def do_GET(self):
        self.seen.append((self.path, self.headers.get("Authorization")))
        status, headers, body = self.answers.pop(0) if self.answers else (200, {}, {"id": "-"})
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class RetryTest(unittest.TestCase):
    def setUp(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        _Stub.answers, _Stub.seen = [], []
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def test_503_is_retried_until_an_answer_comes(self):
        unavailable = (503, {}, {"code": 14, "message": "stopping"})
        _Stub.answers = [unavailable, unavailable, (200, {}, {"id": "-", "observationBudget": "7"})]
        stats = Client(url=self.url, token="secret").stats()
        self.assertEqual(7, stats.observation_budget)
        self.assertEqual(3, len(_Stub.seen))
        self.assertEqual("Bearer secret", _Stub.seen[0][1])

    def test_503_past_the_retry_timeout_raises_unavailable_with_the_servers_words(self):
        _Stub.answers = [(503, {}, {"code": 14, "message": "journal cannot be written"})] * 1000
        with self.assertRaises(UnavailableError) as refused:
            Client(url=self.url, token="t", retry_timeout=0.2).stats()
        self.assertEqual(503, refused.exception.status)
        self.assertIn("journal", refused.exception.message)

    def test_429_with_retry_after_is_retried_and_without_it_is_too_large(self):
        _Stub.answers = [(429, {"Retry-After": "0"}, {"message": "slow down"}), (200, {}, {"id": "-"})]
        Client(url=self.url, token="t").stats()
        self.assertEqual(2, len(_Stub.seen))
        _Stub.answers = [(429, {}, {"code": 8, "message": "request too large"})]
        with self.assertRaises(RequestTooLargeError):
            Client(url=self.url, token="t").stats()


class HeartbeatsTest(unittest.TestCase):
    def test_beats_until_the_server_says_abandon_and_keeps_the_reason(self):
        heartbeats = Heartbeats(lambda: 0.01)
        self.addCleanup(heartbeats.close)
        beats = []
        abandoned = threading.Event()

        def beat():
            beats.append(1)
            if len(beats) < 3:
                return HeartbeatAnswer(abandon=False, reason="")
            abandoned.set()
            return HeartbeatAnswer(abandon=True, reason="finished elsewhere")

        heartbeats.add(7, beat)
        self.assertTrue(abandoned.wait(timeout=30))
        for _ in range(1000):  # the thread records the answer right after beat() returns
            if heartbeats.abandoned(7):
                break
            abandoned.wait(0.01)
        self.assertEqual("finished elsewhere", heartbeats.abandoned(7))
        self.assertEqual("finished elsewhere", heartbeats.remove(7))
        self.assertEqual(3, len(beats))
