"""Safer next occupations: the time to build the similarity (all SOCs of O*NET 30.1, every pair) and the
transitions mart, and the /transitions and /similar endpoints under load beside /health.

Baselines in the same run: for the build, the same cosine of one component (skills) computed by a Python
loop over pairs on a sample of SOCs, extrapolated to all pairs — what vectorising saves; for the endpoints,
/health (the framework plus one trivial query) under the same load, as in bench/api.py."""

from __future__ import annotations

import json
import math
import os
import subprocess
import time
from urllib.parse import urlencode

import numpy as np
import psycopg

from bench import api as api_bench
from bench.common import machine, median, temporary_server, timed, write_section
from occurisk_assets.careers import build as careers_build
from occurisk_assets.dbt.project import dbt_executable
from occurisk_assets.lib import db
from occurisk_assets.lib.settings import PROJECT_ROOT

DATA_VERSION = "30.1"
REPEAT = 3
LOOP_SAMPLE_SOCS = 40


def python_loop_cosine_seconds(conn: psycopg.Connection) -> tuple[float, int]:
    """Seconds a Python loop over pairs would take for the skills cosine of all SOCs (measured on a sample)."""
    socs = careers_build._soc_codes(conn, DATA_VERSION)
    index = {s: i for i, s in enumerate(socs)}
    values, present = careers_build._rating_values(conn, DATA_VERSION, index)["skill"]
    rows = [list(np.nan_to_num(v)) for v in values[present]]
    sample = rows[:LOOP_SAMPLE_SOCS]
    started = time.perf_counter()
    for a in sample:
        for b in rows:
            dot = sum(x * y for x, y in zip(a, b, strict=True))
            norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
            _ = dot / norm if norm else 0.0
    per_soc = (time.perf_counter() - started) / len(sample)
    return per_soc * len(rows), len(rows)


def dbt_transitions_seconds() -> float:
    env = {**os.environ}
    started = time.perf_counter()
    subprocess.run(
        [
            dbt_executable(),
            "run",
            "--select",
            "occupation_transitions",
            "--vars",
            json.dumps({"data_version": DATA_VERSION}),
            "--project-dir",
            str(PROJECT_ROOT / "dbt_project"),
            "--profiles-dir",
            str(PROJECT_ROOT / "dbt_project"),
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    return time.perf_counter() - started


def model_seconds() -> float:
    results = json.loads((PROJECT_ROOT / "dbt_project" / "target" / "run_results.json").read_text())
    return next(
        r["execution_time"] for r in results["results"] if r["unique_id"].endswith("occupation_transitions")
    )


def endpoint_paths(url: str) -> dict[str, list[str]]:
    with psycopg.connect(url) as conn:
        socs = [
            r[0]
            for r in conn.execute(
                "SELECT soc_code FROM marts.occupation_summary WHERE data_version = %s AND ai_mean IS NOT NULL "
                "ORDER BY soc_code",
                (DATA_VERSION,),
            )
        ]
    off = urlencode({"max_job_zone_change": 4, "min_wage_ratio": 0, "safer_only": "false"})
    return {
        "health (baseline)": ["/api/v1/health"],
        "transitions, default filters": [f"/api/v1/occupations/{soc}/transitions" for soc in socs],
        "transitions, filters off": [f"/api/v1/occupations/{soc}/transitions?{off}" for soc in socs],
        "similar (20)": [f"/api/v1/occupations/{soc}/similar" for soc in socs],
    }


def build_section(
    build, n_socs: int, loop_seconds: float, n_rated: int, dbt_model: float, dbt_wall: float
) -> str:
    recall = build.related_recall["combined"]
    components = ", ".join(build.used)
    vectorised = build.timings["combine_rank_seconds"] + build.timings["components_seconds"]
    return f"""
## Safer next occupations (bench/careers.py)

Real O*NET {DATA_VERSION} pipeline output with BLS, throwaway PostgreSQL; measured {time.strftime("%Y-%m-%d")}
on {machine()} (1-minute load average {os.getloadavg()[0]:.1f} after the builds).

**Similarity build** (`build_similarity`, asset `careers/occupation_similarity`): {build.n_socs} SOCs with
descriptors of {n_socs}, every pair ({build.n_socs * (build.n_socs - 1):,} ordered pairs), components {components};
{build.n_pairs:,} pairs kept (top {build.top_k} per SOC and their reverses). Median of {REPEAT} builds:
**{build.seconds:.2f} s** in all — reading the marts and computing every component
{build.timings["components_seconds"]:.2f} s, combining and ranking {build.timings["combine_rank_seconds"]:.2f} s,
writing (COPY, one transaction) {build.timings["write_seconds"]:.2f} s. Recall of O*NET's Primary-Short related
occupations among the top 20: {recall["micro"]:.3f} ({recall["n_found"]:,} of {recall["n_related_pairs"]:,}).

Baseline, same run: the skills cosine alone by a Python loop over pairs, timed on {LOOP_SAMPLE_SOCS} SOCs and
extrapolated to all {n_rated} rated SOCs: **{loop_seconds:.1f} s** — for one component of {len(build.used)},
against {vectorised:.2f} s for all of them vectorised (numpy / scipy sparse / scikit-learn TF-IDF).

**Transitions mart** (`dbt run --select occupation_transitions`, every candidate of every scored SOC with
carries-over and skill gaps): model {dbt_model:.1f} s, **{dbt_wall:.1f} s** wall with dbt's start-up (median
of {REPEAT}).
"""


def main(workers: int = 2) -> dict:
    with temporary_server() as url:
        api_bench.build_database()
        with db.connect() as conn:
            n_socs = len(careers_build._soc_codes(conn, DATA_VERSION))
            reports = []
            for _ in range(REPEAT):
                reports.append(careers_build.build_similarity(conn, DATA_VERSION))
            loop_seconds, n_rated = python_loop_cosine_seconds(conn)
        build = sorted(reports, key=lambda r: r.seconds)[len(reports) // 2]
        dbt_wall = median(timed(dbt_transitions_seconds, REPEAT))
        dbt_model = model_seconds()
        # Written before the load test, so that a failure there loses no build figure.
        write_section("careers", build_section(build, n_socs, loop_seconds, n_rated, dbt_model, dbt_wall))
        load_average = os.getloadavg()[0]
        scenarios = endpoint_paths(url)
        port = api_bench.free_port()
        # A busy shared machine can take well over a minute to start the workers.
        server = api_bench.start_server(port, workers, timeout_s=300)
        try:
            results = api_bench.measure(port, scenarios)
        finally:
            server.terminate()
            server.wait(timeout=30)
    # Latency of the API on the same machine during the same run, one client at a time and under load.
    rows = [
        f"| {name} | {len(scenarios[name])} | {single.percentile(50):.1f} | {loaded.percentile(50):.1f} | "
        f"{loaded.percentile(95):.1f} | {loaded.percentile(99):.1f} | {loaded.throughput:.0f} | {loaded.errors} |"
        for name, (single, loaded) in results.items()
    ]
    markdown = f"""
## Safer next occupations: endpoints under load (bench/careers.py)

Real O*NET {DATA_VERSION} build with BLS, throwaway PostgreSQL; measured {time.strftime("%Y-%m-%d")} on {machine()}
(1-minute load average {load_average:.1f} before the run). uvicorn ({workers} workers),
{api_bench.CLIENTS} concurrent keep-alive clients, {api_bench.REQUESTS} requests per scenario after {api_bench.WARMUP} warm-up requests, cycling through every
scored SOC; single-client column: {api_bench.SINGLE_CLIENT_REQUESTS} requests from one client (the load
generator of bench/api.py).

| scenario | distinct requests | 1 client p50 ms | {api_bench.CLIENTS} clients p50 ms | p95 ms | p99 ms | req/s | non-200 |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}
"""
    write_section("careers-api", markdown)
    return {
        "similarity_seconds": build.seconds,
        "python_loop_skills_seconds": loop_seconds,
        "transitions_model_seconds": dbt_model,
        **{name: loaded.percentile(95) for name, (_, loaded) in results.items()},
    }


if __name__ == "__main__":
    main()
