"""Web pages and JSON API under load with wrk (a C load generator: a Python client would saturate these cores
before the server does), 32 connections, against uvicorn (`api.main:app`, 2 workers, as `occurisk up` runs
it) reading a throwaway database with the real O*NET 30.1 pipeline output and BLS data. The baseline,
measured in the same run under the same load: /api/v1/health (the framework, the pool and one trivial
query, never cached). Each scenario cycles through its distinct requests (every SOC code, 20 searches).

Measured twice: with the response cache (the steady state: each distinct request was asked once before)
and with it switched off (OCCURISK_RESPONSE_CACHE_MB=0: every answer computed), so the cache's share shows.

`python bench/web.py --database URL` measures an existing platform database instead of building one."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
import psycopg

from bench.api import DATA_VERSION, SEARCHES, build_database, free_port, start_server
from bench.common import machine, temporary_server, write_section

CONNECTIONS = 32
THREADS = 2
DURATION_S = 10
TARGETS = {"occupation page": 0.5, "detail endpoint": 0.5, "search page": 0.3, "search endpoint": 0.3}
TARGET_P99_MS = 100.0

LUA = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(output: str) -> WrkResult:
    percentiles = dict(re.findall(r"^\s*(50|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.M))
    if set(percentiles) != {"50", "99"}:
        raise RuntimeError(f"wrk printed no latency distribution:\n{output}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkResult(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        non_2xx=int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0,
        socket_errors=sum(map(int, errors.groups())) if errors else 0,
    )


def run_wrk(port: int, paths: list[str], folder: Path, duration_s: int = DURATION_S) -> WrkResult:
    script = folder / "paths.lua"
    script.write_text(LUA % ", ".join(f'"{p}"' for p in paths))
    output = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{duration_s}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_wrk(output)


def scenarios(url: str) -> dict[str, list[str]]:
    with psycopg.connect(url) as conn:
        socs = [
            r[0]
            for r in conn.execute(
                "SELECT soc_code FROM marts.occupation_summary WHERE data_version = %s ORDER BY soc_code",
                (DATA_VERSION,),
            )
        ]
    return {
        "health (baseline)": ["/api/v1/health"],
        "occupation page": [f"/occupation/{soc}" for soc in socs],
        "detail endpoint": [f"/api/v1/occupations/{soc}" for soc in socs],
        "search page": [f"/search?{urlencode({'q': q})}" for q in SEARCHES],
        "search endpoint": [f"/api/v1/occupations?{urlencode({'search': q})}" for q in SEARCHES],
        "explore page": ["/explore"] + [f"/explore?major_group={g}" for g in ("11", "15", "29", "43", "53")],
    }


def warm(port: int, paths: list[str]) -> None:
    """Ask every distinct request once (what a day of visitors does): the cache holds them all after."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for path in paths:
            assert client.get(path).status_code == 200, path


def measure(port: int, plan: dict[str, list[str]], label: str, cached: bool) -> dict[str, WrkResult]:
    results = {}
    with tempfile.TemporaryDirectory(prefix="occurisk-wrk-") as folder:
        for name, paths in plan.items():
            if cached:
                warm(port, paths)
            results[name] = run_wrk(port, paths, Path(folder))
            r = results[name]
            print(
                f"web [{label}] {name}: {r.rps:.0f} req/s, p50 {r.p50_ms:.1f} ms, p99 {r.p99_ms:.1f} ms, "
                f"non-2xx {r.non_2xx}, socket errors {r.socket_errors}"
            )
    return results


def measure_server(url: str, plan: dict[str, list[str]], cache_mb: int, workers: int) -> dict[str, WrkResult]:
    os.environ["OCCURISK_RESPONSE_CACHE_MB"] = str(cache_mb)
    port = free_port()
    server = start_server(port, workers, timeout_s=300)  # imports are slow on a busy machine
    try:
        return measure(port, plan, "cache on" if cache_mb else "cache off", cached=cache_mb > 0)
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.environ.pop("OCCURISK_RESPONSE_CACHE_MB", None)


def table(results: dict[str, WrkResult], plan: dict[str, list[str]], with_targets: bool) -> str:
    health = results["health (baseline)"].rps
    rows = []
    for name, r in results.items():
        ratio = r.rps / health
        target = TARGETS.get(name)
        verdict = ""
        if with_targets and target is not None:
            ok = ratio >= target and r.p99_ms < TARGET_P99_MS
            verdict = f"≥ {target}× and p99 < {TARGET_P99_MS:.0f} ms: {'meets' if ok else 'MISSES'}"
        rows.append(
            f"| {name} | {len(plan[name])} | {r.rps:.0f} | {ratio:.2f}× | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{r.non_2xx + r.socket_errors} | {verdict} |"
        )
    return (
        "| scenario | distinct requests | req/s | × health | p50 ms | p99 ms | errors | target |\n"
        "|---|---|---|---|---|---|---|---|\n" + "\n".join(rows)
    )


def report(cached, uncached, plan, workers: int, load_average: float, wrk_version: str, source: str) -> str:
    return f"""
## Web pages and API under load with wrk (bench/web.py)

{wrk_version}, {THREADS} threads, {CONNECTIONS} connections, {DURATION_S} s per scenario, against uvicorn
(`api.main:app`, {workers} workers) reading {source} with the real O*NET {DATA_VERSION} pipeline output and BLS
data. Each scenario cycles through its distinct requests: every SOC code for the occupation page
(`/occupation/{{soc}}`, every task with each rater's score) and the detail endpoint
(`/api/v1/occupations/{{soc}}`); 20 lay titles, misspellings included, for search (`/search?q=`,
`/api/v1/occupations?search=`); `/explore` overall and for 5 major groups. Baseline in the same run:
`/api/v1/health` (one trivial query, never cached). Measured {time.strftime("%Y-%m-%d")} on {machine()};
server, PostgreSQL and wrk share the machine (1-minute load average {load_average:.1f} before the run).

**With the response cache** (steady state: each distinct request had been asked once; a hit costs one read
of the data generation and a copy of the stored answer):

{table(cached, plan, with_targets=True)}

**Without it** (`OCCURISK_RESPONSE_CACHE_MB=0`: every answer computed from PostgreSQL and rendered):

{table(uncached, plan, with_targets=False)}
"""


def main(database: str | None = None, workers: int = 2) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench` installs the Debian package")
    wrk_version = (
        subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].split(" [")[0]
    )

    def run(url: str):
        load_average = os.getloadavg()[0]
        plan = scenarios(url)
        cached = measure_server(url, plan, 64, workers)
        uncached = measure_server(url, plan, 0, workers)
        return plan, cached, uncached, load_average

    source = "a throwaway PostgreSQL"
    if database:
        source = "an existing platform database (`--database`)"
        os.environ["DATABASE_URL"] = database
        plan, cached, uncached, load_average = run(database)
    else:
        with temporary_server() as url:
            build_database()
            plan, cached, uncached, load_average = run(url)
    write_section("web", report(cached, uncached, plan, workers, load_average, wrk_version, source))
    return {name: {"rps": r.rps, "p99_ms": r.p99_ms} for name, r in cached.items()}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database", help="an existing platform database URL (default: build a throwaway one)"
    )
    args = parser.parse_args()
    main(args.database)
