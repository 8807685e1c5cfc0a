"""`occurisk up` stopped by SIGTERM (a service manager) stops every process it started — the Dagster
webserver, daemon and code server and their gRPC servers, the API workers — within seconds."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from occurisk_assets.lib import processes
from tests.serving import free_port

OCCURISK = str(Path(sys.executable).parent / "occurisk")


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_sigterm_stops_every_child_within_seconds(built_database, tmp_path):
    dagster_port, api_port = free_port(), free_port()
    env = dict(os.environ, DATABASE_URL=built_database, DAGSTER_HOME=str(tmp_path))
    up = subprocess.Popen(
        [OCCURISK, "up", "--dagster-port", str(dagster_port), "--api-port", str(api_port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if listening(dagster_port) and listening(api_port):
                try:
                    if (
                        httpx.get(f"http://127.0.0.1:{dagster_port}/server_info", timeout=5).status_code
                        == 200
                    ):
                        break
                except httpx.HTTPError:
                    pass
            time.sleep(1)
        else:
            raise AssertionError("occurisk up did not serve the Dagster UI and the API within 240 s")
        time.sleep(5)  # the code server and the daemon start after the webserver answers
        children = processes.descendants(up.pid)
        children |= set().union(*(processes.in_session(pid) for pid in children))
        assert len(children) >= 4  # dagster dev, its webserver, daemon, code server; uvicorn and workers

        up.send_signal(signal.SIGTERM)
        stopped_at = time.monotonic()
        up.wait(timeout=30)
        while time.monotonic() - stopped_at < 15 and any(processes.alive(pid) for pid in children):
            time.sleep(0.2)
        left = sorted(pid for pid in children if processes.alive(pid))
        took = time.monotonic() - stopped_at
    finally:
        if up.poll() is None:
            up.kill()
    assert left == [], f"still running {took:.1f}s after SIGTERM: {left}"
    assert took < 15
    assert not listening(dagster_port) and not listening(api_port)
