"""`occurisk serve` as a real process for the tests that need the deployed server (its workers, its access
log, its memory): started on a free port, ready once /api/v1/health answers, stopped after."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

# Importing the app takes a while on a loaded machine: how long start-up may take before the test fails.
START_TIMEOUT_S = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Served:
    process: subprocess.Popen
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def occurisk_serve(
    database: str, *args: str, env: dict[str, str] | None = None, log: Path | None = None
) -> Iterator[Served]:
    """`occurisk serve --port N *args` reading `database` (its roles derived from that URL, as deployed),
    with `env` added to the environment; its output in `log` when given."""
    port = free_port()
    occurisk = Path(sys.executable).with_name("occurisk")
    out = log.open("w") if log else None
    try:
        process = subprocess.Popen(
            [str(occurisk), "serve", "--port", str(port), *args],
            env={**os.environ, "DATABASE_URL": database, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
        )
    finally:
        if out:
            out.close()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None, "occurisk serve did not start"
                time.sleep(0.2)
        yield Served(process, port)
    finally:
        process.terminate()
        process.wait(timeout=30)


def log_records(log: Path) -> list[dict]:
    """The server's log, one JSON object a line (api/request_log.py); a line that is not one fails the test."""
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
