#!/usr/bin/python3
"""A fork server for digits_mlp.py: importing scikit-learn costs 1-2 s on a small machine, more than a trial's training.

`zygote.py SOCKET` imports scikit-learn, loads the digits once and listens on the Unix socket SOCKET. A digits_mlp.py
started with HPCTUNE_BENCH_ZYGOTE=SOCKET sends it its arguments and its standard output and error (file descriptors,
SCM_RIGHTS); the zygote forks a child that trains writing straight into those, so reports reach the tuner as they
would from digits_mlp.py itself. digits_mlp.py waits for the child's exit status and forwards SIGTERM to it. The
child holds the trial's pipes, so the command objective's clean-up (it kills whatever still holds them once the
objective exits) ends it too. Only the benchmark uses this; without the variable digits_mlp.py trains in process.
"""
import json
import os
import signal
import socket
import sys
import traceback

MAX_MESSAGE = 1 << 16


def run_in_zygote(socket_path, argv):
    """Runs argv in a child of the zygote at socket_path; its exit status, or None when no zygote took it."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(socket_path)
        hpctune = {k: v for k, v in os.environ.items() if k.startswith("HPCTUNE_")}  # the trial's id and the like
        message = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": hpctune}).encode()
        socket.send_fds(connection, [message], [sys.stdout.fileno(), sys.stderr.fileno()])
        reply = connection.makefile("rb")
        first = reply.readline()
    except OSError:
        connection.close()
        return None
    if not first.strip():
        connection.close()
        return None  # the zygote went away before it forked
    child = int(first)
    forwarded = []

    def forward(signum, _frame):
        forwarded.append(signum)
        try:
            os.kill(child, signum)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    status = reply.readline().strip()
    if status:
        return int(status)
    if forwarded:
        return 128 + forwarded[0]
    print(f"digits_mlp.py: the training process {child} ended without an exit status (killed?)", file=sys.stderr)
    return 1


def child_main(connection, message, fds):
    """In the forked child: take over the trial's output, train, send the exit status."""
    import digits_mlp

    request = json.loads(message)
    os.dup2(fds[0], 1)
    os.dup2(fds[1], 2)
    for fd in fds:
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.update(request["env"])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    connection.sendall(f"{os.getpid()}\n".encode())
    status = 1
    try:
        digits_mlp.train(digits_mlp.parse(request["argv"]), DATA, sys.stdout)
        status = 0
    except digits_mlp.UsageError as e:
        print(f"digits_mlp.py: {e}", file=sys.stderr)
        status = 2
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            connection.sendall(f"{status}\n".encode())
        except OSError:
            pass
        os._exit(status)


def serve(socket_path):
    global DATA
    import digits_mlp

    DATA = digits_mlp.load_data()
    digits_mlp.new_model(0.1, 0.0, 0)  # imports the model's modules before the first fork
    import numpy  # noqa: F401  (train's imports, loaded once here)
    from sklearn.exceptions import ConvergenceWarning  # noqa: F401

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    print(f"zygote ready on {socket_path}", flush=True)
    while True:
        connection, _ = listener.accept()
        try:
            message, fds, _, _ = socket.recv_fds(connection, MAX_MESSAGE, 2)
        except OSError:
            connection.close()
            continue
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            connection.close()
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() == 0:
            listener.close()
            child_main(connection, message, fds)
        for fd in fds:
            os.close(fd)
        connection.close()


DATA = None

if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: zygote.py SOCKET", file=sys.stderr)
        sys.exit(2)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    serve(sys.argv[1])
