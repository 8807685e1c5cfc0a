import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner

from occurisk_assets.cli import main


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_is_an_occurisk_command():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output


def test_occurisk_serve_runs_the_api_with_uvicorn(built_database):
    port = free_port()
    occurisk = Path(sys.executable).with_name("occurisk")
    server = subprocess.Popen(
        [str(occurisk), "serve", "--port", str(port)], env={**os.environ, "DATABASE_URL": built_database}
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "occurisk serve did not start"
                time.sleep(0.2)
        assert response.status_code == 200 and response.json()["active_version"] == "30.1"
        assert (
            httpx.get(f"http://127.0.0.1:{port}/api/v1/occupations/15-1252").json()["title"]
            == "Software Developers"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
