"""Worker names the server accepts: letters, digits and -_@: only, at most 100 characters."""

import itertools
import os
import re
import socket
import threading

MAX_LENGTH = 100
_INVALID = re.compile(r"[^A-Za-z0-9_@:-]")
_VALID = re.compile(r"^[A-Za-z0-9_@:-]{1,100}$")
_instances = itertools.count()
_lock = threading.Lock()


def default_worker_name():
    """HOST:PID for the first client of a process, HOST:PID:N for the next ones: two clients of one process must not
    share a name, or each would be handed the other's open trials."""
    with _lock:
        instance = next(_instances)
    suffix = f":{os.getpid()}" + (f":{instance}" if instance else "")
    host = _INVALID.sub("-", socket.gethostname()) or "host"
    return host[:MAX_LENGTH - len(suffix)] + suffix


def check_worker_name(name):
    """The name if the server accepts it; else a ValueError that says why."""
    if not isinstance(name, str) or not _VALID.match(name):
        raise ValueError(f"worker name {name!r} is not valid: use letters, digits and -_@: only, "
                         f"1 to {MAX_LENGTH} characters")
    return name
