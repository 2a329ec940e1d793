"""HTTP/JSON calls to serve, with the bearer token, and retries while the server is away.

One connection per call, straight to the server (http.client; no HTTP proxy in between).

Retried, with exponential backoff and full jitter, until ``retry_timeout`` seconds have passed: a connection refused,
reset or timed out (the server is restarting, or its answer was lost) and the answers 502/503/504 (UNAVAILABLE: the
server is stopping or cannot write its journal), and 429 when it carries Retry-After (a proxy's rate limit; the
server's own 429 means RESOURCE_EXHAUSTED, a request too large, which no retry mends). Sending a call again is safe
for every call but insert: a result sent twice is acknowledged and counted once, suggest hands a worker its own open
trials back, heartbeat and release name the trial. An insert whose answer was lost may come back as a duplicate.
"""

import errno
import http.client
import json
import math
import random
import socket
import ssl
import time
import urllib.parse

from .errors import HpcTuneError, UnavailableError, error_for

_RETRIED_STATUSES = (502, 503, 504)
# Bodies this large may meet a server's size limit; smaller ones that lose their connection are sent again.
_LARGE_BODY = 64 * 1024
_RETRIED_ERRNOS = {errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EPIPE, errno.ETIMEDOUT,
                   errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ENETDOWN}


class Transport:
    """Sends one JSON request and decodes the JSON answer; raises an ``HpcTuneError`` subclass for an error answer."""

    def __init__(self, url, token, timeout=30.0, retry_timeout=120.0, first_backoff=0.05, max_backoff=5.0):
        if not url:
            raise ValueError("no server URL: pass url= or set HPCTUNE_URL (serve prints 'listening on URL')")
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"server URL '{url}' is not http://HOST:PORT or https://HOST:PORT")
        self.url = url.rstrip("/")
        self._scheme = parsed.scheme
        self._host = parsed.hostname
        self._port = parsed.port
        self._base_path = parsed.path.rstrip("/")
        self._tls = ssl.create_default_context() if parsed.scheme == "https" else None
        self.token = token
        self.timeout = timeout
        self.retry_timeout = retry_timeout
        self.first_backoff = first_backoff
        self.max_backoff = max_backoff
        self._random = random.Random()

    def get(self, path, query=None):
        if query:
            path = path + "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        return self.call("GET", path)

    def post(self, path, body, timeout=None):
        return self.call("POST", path, body, timeout)

    def call(self, method, path, body=None, timeout=None):
        """Sends the request until it gets an answer that is not transient or retry_timeout has passed."""
        data = None if body is None else json.dumps(_finite(body), allow_nan=False).encode("utf-8")
        deadline = None if self.retry_timeout is None else time.monotonic() + self.retry_timeout
        attempt = 0
        while True:
            try:
                return self._send(method, path, data, timeout or self.timeout)
            except _Transient as transient:
                attempt += 1
                pause = self._backoff(attempt, transient.retry_after)
                if deadline is not None and time.monotonic() + pause > deadline:
                    if transient.error is not None:
                        raise transient.error from None
                    raise UnavailableError(
                        f"{method} {self.url}{path}: no answer from the server for {self.retry_timeout:g} s "
                        f"(last: {transient.reason})", code="UNAVAILABLE") from None
                time.sleep(pause)

    def _backoff(self, attempt, retry_after):
        ceiling = min(self.max_backoff, self.first_backoff * (2 ** min(attempt, 30)))
        pause = self._random.uniform(0, ceiling)
        return max(pause, retry_after or 0.0)

    def _send(self, method, path, data, timeout):
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        connection = self._connection(timeout)
        try:
            try:
                connection.request(method, self._base_path + path, body=data, headers=headers)
            except (BrokenPipeError, ConnectionResetError) as sending:
                # A server refuses a body past its limit (413) before reading it all, then closes: its answer
                # says why, where a retry could only fail again.
                if data is None or len(data) < _LARGE_BODY:
                    raise
                try:
                    response = connection.getresponse()
                except (OSError, http.client.HTTPException):
                    raise sending from None
            else:
                response = connection.getresponse()
            text = response.read()
        except (OSError, http.client.HTTPException) as failure:
            if _is_transient(failure):
                raise _Transient(f"{type(failure).__name__}: {failure}") from None
            raise UnavailableError(f"{method} {self.url}{path}: {failure}", code="UNAVAILABLE") from None
        finally:
            connection.close()
        if response.status >= 300:
            raise self._error(method, path, response, text)
        if not text:
            return {}
        try:
            return json.loads(text)
        except ValueError:
            raise HpcTuneError(f"{method} {self.url}{path}: the answer is not JSON: {text[:200]!r}") from None

    def _connection(self, timeout):
        if self._scheme == "https":
            return http.client.HTTPSConnection(self._host, self._port, timeout=timeout, context=self._tls)
        return http.client.HTTPConnection(self._host, self._port, timeout=timeout)

    def _error(self, method, path, response, text):
        status = response.status
        code, message = _error_body(text)
        if not message:
            message = f"{method} {path}: HTTP {status} {response.reason}"
        error = error_for(status, code, message)
        if status in _RETRIED_STATUSES:
            return _Transient(f"HTTP {status}: {message}", error, _retry_after(response))
        if status == 429 and response.getheader("Retry-After"):
            return _Transient(f"HTTP 429: {message}", error, _retry_after(response))
        return error


class _Transient(Exception):
    """An attempt that may succeed when sent again; ``error`` is what to raise once retries run out."""

    def __init__(self, reason, error=None, retry_after=None):
        super().__init__(reason)
        self.reason = reason
        self.error = error
        self.retry_after = retry_after


def _is_transient(reason):
    if isinstance(reason, (ConnectionError, TimeoutError, socket.timeout, http.client.HTTPException)):
        return True
    return isinstance(reason, OSError) and reason.errno in _RETRIED_ERRNOS


def _error_body(text):
    """(code, message) of a google.rpc.Status body, or of Google's {"error": {...}} form; else the text itself."""
    try:
        body = json.loads(text) if text else None
    except ValueError:
        return None, text.decode("utf-8", "replace").strip()[:500]
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    if not isinstance(body, dict):
        return None, None
    code = body.get("code", body.get("status"))
    message = body.get("message") or body.get("detail") or body.get("title")
    return code, message


def _retry_after(response):
    value = response.getheader("Retry-After")
    try:
        return min(float(value), 60.0) if value else None
    except ValueError:
        return None


def _finite(value):
    """protobuf's JSON spells non-finite doubles as the strings "NaN", "Infinity" and "-Infinity"."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value
