"""What every benchmark shares: a throwaway PostgreSQL server and a section of docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import re
import socket
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from occurisk_assets.lib import postgres_server, roles, schema
from occurisk_assets.lib.settings import PROJECT_ROOT, get_settings

BENCHMARKS_MD = PROJECT_ROOT / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Written by `make bench` (scripts in `bench/`); each section compares with a baseline measured in the same
run, on the same machine. Numbers below are from the last run; rerun to refresh.
"""


@contextmanager
def temporary_server() -> Iterator[str]:
    """A fresh local PostgreSQL on a free port, used through DATABASE_URL like any external server."""
    with tempfile.TemporaryDirectory(prefix="occurisk-bench-") as home:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = postgres_server.LocalServer(
            pgdata=Path(home) / "postgres" / "data", port=port, fast=True
        )  # throwaway
        server.start()
        server.provision_databases(
            {"occurisk": roles.OWNER, "dagster": roles.DAGSTER, "mlflow": roles.MLFLOW}
        )
        previous = os.environ.get("DATABASE_URL")
        os.environ["DATABASE_URL"] = server.url("occurisk")
        os.environ["OCCURISK_HOME"] = home
        get_settings.cache_clear()
        try:
            yield schema.ensure_server()
        finally:
            server.stop()
            if previous is None:
                os.environ.pop("DATABASE_URL", None)
            else:
                os.environ["DATABASE_URL"] = previous
            get_settings.cache_clear()


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> str:
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_section(key: str, markdown: str) -> None:
    """Replace (or append) the section `key` of docs/benchmarks.md, leaving the others as they are."""
    text = BENCHMARKS_MD.read_text() if BENCHMARKS_MD.exists() else HEADER
    block = f"<!-- bench:{key} -->\n{markdown.strip()}\n<!-- /bench:{key} -->"
    pattern = re.compile(rf"<!-- bench:{re.escape(key)} -->.*?<!-- /bench:{re.escape(key)} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text.rstrip()}\n\n{block}\n"
    BENCHMARKS_MD.write_text(text)
