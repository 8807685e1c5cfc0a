"""Scoring throughput.

1. Offline: the two published raters over the full O*NET 30.1 catalog (18,796 tasks), end to end through
   run_scoring (catalog read, label join, COPY of the scores, run bookkeeping), without and with the MLflow run.
2. LLM path: the OpenAI provider (real SDK) against the local fake API with a fixed latency per call, at the
   configured concurrency, with and without a binding requests-per-minute limit. The expected ceiling is
   min(concurrency / latency, requests_per_minute / 60) calls per second.
"""

from __future__ import annotations

import csv
import time

import psycopg

from bench.common import machine, median, temporary_server, write_section
from occurisk_assets.lib.llm_providers.openai_provider import OpenAIProvider
from occurisk_assets.lib.settings import SHARED_DATA
from occurisk_assets.scoring.config import ScoringConfig, load_scoring_config
from occurisk_assets.scoring.runs import ScoringEnvironment, ScoringRequest, run_scoring
from tests.fakes.llm_server import FakeLLMServer

ONET_30_1 = SHARED_DATA / "onet" / "db_30_1_text"
OFFLINE_REPEAT = 3
MODEL = "openai:gpt-4.1-mini"
LATENCY_S = 0.2
CONCURRENCY = 8
LLM_TASKS = 240
# (label, requests_per_minute): unbound (the concurrency decides) and bound by the rate limit.
RATE_SCENARIOS = [("concurrency-bound", 1_000_000), ("rate-limited to 600 rpm", 600)]


def load_catalog(conn: psycopg.Connection) -> int:
    """marts.task_catalog as the dbt model shapes it, straight from the release files (no Task Ratings in
    the shared copy: unrated tasks rank by task type, then task_id)."""

    def rows(name: str) -> list[dict]:
        with open(ONET_30_1 / name, newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))

    titles = {r["O*NET-SOC Code"]: r["Title"] for r in rows("Occupation Data.txt")}
    conn.execute("""
        CREATE SCHEMA marts;
        CREATE TABLE marts.task_catalog (data_version text, task_id int, onetsoc_code text, soc_code text,
            occupation_title text, task_statement text, task_type text, importance numeric, relevance numeric,
            frequency numeric, priority_rank int, PRIMARY KEY (data_version, task_id))""")
    order = {"Core": 0, "Supplemental": 1}
    tasks = sorted(
        rows("Task Statements.txt"), key=lambda r: (order.get(r["Task Type"], 2), int(r["Task ID"]))
    )
    with conn.cursor().copy(
        "COPY marts.task_catalog (data_version, task_id, onetsoc_code, soc_code, occupation_title, task_statement,"
        " task_type, priority_rank) FROM STDIN"
    ) as copy:
        for rank, r in enumerate(tasks, start=1):
            code = r["O*NET-SOC Code"]
            task_type = None if r["Task Type"] == "n/a" else r["Task Type"]
            copy.write_row(
                ("30.1", int(r["Task ID"]), code, code[:7], titles[code], r["Task"], task_type, rank)
            )
    conn.commit()
    return len(tasks)


def bench_offline(conn: psycopg.Connection) -> dict:
    times, summaries = [], []
    for _ in range(OFFLINE_REPEAT):
        started = time.perf_counter()
        summaries = run_scoring(conn, ScoringRequest("30.1", new_run=True), ScoringEnvironment(track=False))
        times.append(time.perf_counter() - started)
    run_scoring(
        conn, ScoringRequest("30.1", new_run=True)
    )  # the first MLflow use creates its tables: not what we measure
    started = time.perf_counter()
    run_scoring(conn, ScoringRequest("30.1", new_run=True))
    with_mlflow = time.perf_counter() - started
    return {
        "seconds": median(times),
        "with_mlflow": with_mlflow,
        "scored": sum(s.n_scored for s in summaries),
        "models": len(summaries),
    }


def _config_with(config: ScoringConfig, **fields) -> ScoringConfig:
    model = config.model(MODEL).model_copy(update=fields)
    return config.model_copy(update={"models": {**config.models, MODEL: model}})


def bench_llm(conn: psycopg.Connection) -> list[dict]:
    results = []
    with FakeLLMServer(latency_s=LATENCY_S) as server:
        for label, rpm in RATE_SCENARIOS:
            conn.execute("TRUNCATE core.llm_call, core.model_run CASCADE")  # every call is paid again
            conn.commit()
            config = _config_with(
                load_scoring_config(),
                base_url=server.openai_base_url,
                concurrency=CONCURRENCY,
                requests_per_minute=rpm,
                tokens_per_minute=10**9,
            )
            provider = OpenAIProvider(config.model(MODEL), "bench-placeholder-key")
            started = time.perf_counter()
            (summary,) = run_scoring(
                conn,
                ScoringRequest("30.1", models=[MODEL], top_n=LLM_TASKS),
                ScoringEnvironment(config=config, providers={MODEL: provider}, track=False),
            )
            seconds = time.perf_counter() - started
            assert summary.n_calls == LLM_TASKS, summary
            ceiling = min(CONCURRENCY / LATENCY_S, rpm / 60)
            results.append(
                {
                    "label": label,
                    "rpm": rpm,
                    "seconds": seconds,
                    "rate": LLM_TASKS / seconds,
                    "ceiling": ceiling,
                }
            )
    return results


def main() -> None:
    with temporary_server() as url, psycopg.connect(url) as conn:
        n_tasks = load_catalog(conn)
        offline = bench_offline(conn)
        llm = bench_llm(conn)
    llm_rows = "\n".join(
        f"| {r['label']} | {CONCURRENCY} | {r['rpm']:,} | {r['seconds']:.2f} | {r['rate']:.1f} | {r['ceiling']:.1f} "
        f"| {100 * r['rate'] / r['ceiling']:.0f}% |"
        for r in llm
    )
    write_section(
        "scoring",
        f"""
## Scoring (bench/scoring.py)

Measured {time.strftime("%Y-%m-%d")} on {machine()}, throwaway PostgreSQL server.

**Offline raters, full O*NET 30.1 catalog** ({n_tasks:,} tasks, {offline["models"]} published raters,
{offline["scored"]:,} scores written): median of {OFFLINE_REPEAT} runs of `run_scoring` = **{offline["seconds"]:.2f} s**
({offline["scored"] / offline["seconds"]:,.0f} scores/s), catalog read, label join, COPY and run bookkeeping
included; **{offline["with_mlflow"]:.2f} s** with the MLflow run (metrics, agreement, artifacts) logged (MLflow's
tables already created).

**LLM path** — OpenAI provider through the official SDK against the local fake API answering after a fixed
{LATENCY_S * 1000:.0f} ms, {LLM_TASKS} tasks, every call paid (empty cache). Ceiling = min(concurrency /
latency, requests per minute / 60). The pacing bucket holds one second's worth of requests, so a short run
can start with that burst above the steady rate.

| scenario | concurrency | requests/min limit | seconds | tasks/s | ceiling tasks/s | of ceiling |
|---|---|---|---|---|---|---|
{llm_rows}
""",
    )
    print(
        f"scoring: offline {offline['seconds']:.2f}s ({offline['with_mlflow']:.2f}s with MLflow); "
        + "; ".join(f"{r['label']}: {r['rate']:.1f} tasks/s (ceiling {r['ceiling']:.1f})" for r in llm)
    )


if __name__ == "__main__":
    main()
