"""Starts the servers under test as uvicorn subprocesses on 127.0.0.1, and stops them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent

#: The same server settings for every target: one worker, uvloop, httptools, warnings only.
UVICORN = ["--workers", "1", "--loop", "uvloop", "--http", "httptools",
           "--log-level", "warning", "--no-access-log", "--timeout-graceful-shutdown", "5"]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """Asks the kernel for a free port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """One uvicorn process serving one app."""

    name: str
    app: str
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    factory: bool = False
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    command: list[str] | None = None  # instead of uvicorn (e.g. `comdev worker`)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = self.command or [
            sys.executable, "-m", "uvicorn", self.app, "--host", "127.0.0.1",
            "--port", str(self.port), *UVICORN, *(["--factory"] if self.factory else [])]
        env = {**os.environ, "PYTHONPATH": str(ROOT), **self.env}
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,
                                            stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Polls GET /healthz until it answers 200; raises if the process dies or is slow."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; see {self.log}")
            if self.command:  # not an HTTP server: alive after a moment is ready
                time.sleep(1.0)
                if self.process.poll() is None:
                    return
                continue
            try:
                if httpx.get(self.url + "/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready after {timeout:.0f} s; see {self.log}")

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far."""
        if self.process is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime

    def stop(self, timeout: float = 10.0) -> None:
        """Terminates the process (SIGTERM, then SIGKILL after `timeout`)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
