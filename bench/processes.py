"""The processes a bench starts on 127.0.0.1 (Redis, granian, nginx, Celery workers and beat), each in its own
session with its output in a log file under the bench's work folder, stopped together at the end; free ports and
waiting for a port or a condition."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Processes:
    def __init__(self, work: Path):
        self.work = work
        self.started: list[subprocess.Popen] = []

    def start(self, command: list[str], log: str, env=None) -> subprocess.Popen:
        handle = open(self.work / log, "w")  # noqa: SIM115 - kept open for the process's life
        process = subprocess.Popen(  # noqa: S603 - our own fixed commands
            command, stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=ROOT, start_new_session=True
        )
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


def wait_for(predicate, timeout: float, interval: float = 0.01) -> float | None:
    """Seconds until ``predicate()`` holds, or None after ``timeout`` seconds."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(interval)
    return None
