"""How long the steps of a run outside the CLI take to start: the multiprocess executor spawning each step's
process (Dagster's default: the process imports the code first) against the product's executor, which forks
each step from a server that imported the code once (occurisk_assets/runs/step_preload.py). Both run the same six
steps of the `bls_releases` job (two tables, four checks) on a new PostgreSQL-backed instance."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import dagster as dg
from dagster import AssetKey, DagsterEventType, DagsterInstance, execute_job
from dagster._core.definitions.reconstruct import ReconstructableRepository
from dagster_shared.record import replace

from bench.common import machine, median, temporary_server, write_section
from occurisk_assets.definitions import defs
from occurisk_assets.lib import db
from occurisk_assets.lib.settings import PROJECT_ROOT

REPEAT = 3
TABLES = ["bls_proj_metrics", "nem_occupational_coverage"]
EXECUTORS = {
    "spawn (baseline: Dagster's default start method)": ("bench.executor", "spawned_defs"),
    "forkserver with the code preloaded (the product's)": ("occurisk_assets.definitions", "defs"),
}


@dg.definitions
def spawned_defs() -> dg.Definitions:
    """The product's definitions with the plain multiprocess executor (spawn)."""
    return replace(defs(), executor=dg.multiprocess_executor)


def one_run(instance: DagsterInstance, module: str, attribute: str) -> tuple[float, float]:
    """The run's wall time, and the median time from a step's "Launching subprocess" to its STEP_START."""
    job = ReconstructableRepository.for_module(
        module, attribute, working_directory=str(PROJECT_ROOT)
    ).get_reconstructable_job("bls_releases")
    started = time.perf_counter()
    with execute_job(
        job, instance=instance, asset_selection=[AssetKey(["bls", t]) for t in TABLES]
    ) as result:
        assert result.success, f"the {module}.{attribute} run failed"
        wall = time.perf_counter() - started
        run_id = result.run_id
    launching, starting = {}, {}
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is not None and event.event_type == DagsterEventType.STEP_WORKER_STARTING:
            launching[event.step_key] = record.timestamp
        elif event is not None and event.event_type == DagsterEventType.STEP_START:
            starting[event.step_key] = record.timestamp
    assert len(starting) == 6, starting
    return wall, median([starting[step] - launching[step] for step in starting])


def main() -> dict:
    with temporary_server(), tempfile.TemporaryDirectory(prefix="occurisk-bench-dagster-") as home:
        db.export_connection_env()  # dagster.yaml and the steps' resources read the throwaway server
        shutil.copy(PROJECT_ROOT / "dagster.yaml", Path(home) / "dagster.yaml")
        os.environ["DAGSTER_HOME"] = home
        with DagsterInstance.get() as instance:
            one_run(instance, *EXECUTORS["forkserver with the code preloaded (the product's)"])  # warm files
            measured = {name: [] for name in EXECUTORS}
            for _ in range(REPEAT):  # alternate, so both meet the same machine
                for name, (module, attribute) in EXECUTORS.items():
                    measured[name].append(one_run(instance, module, attribute))
    results = {
        name: (median([w for w, _ in runs]), median([s for _, s in runs])) for name, runs in measured.items()
    }
    rows = "\n".join(f"| {name} | {wall:.1f} | {start:.1f} |" for name, (wall, start) in results.items())
    write_section(
        "executor",
        f"""## Steps of a run launched outside the CLI (bench/executor.py)

Six steps of the `bls_releases` job (two BLS tables and four checks) under the multiprocess executor, two at
a time (2 cores), each step in its own process, on a new PostgreSQL-backed instance; median of {REPEAT} runs
each, alternating, measured {date.today()} on {machine()}.

| start method | run seconds | seconds from "Launching subprocess" to the step's start |
|---|---|---|
{rows}

A spawned step process imports the code location (dbt, scikit-learn, the LLM SDKs) before it starts; the
product's executor forks each step from a server that did that once per run. The UI-style backfill test
(`tests/test_dagster_runs.py`, two O*NET versions and the BLS tables, 30 steps each) took 53 min with
spawned steps and about 6 min with forked ones.
""",
    )
    return results


if __name__ == "__main__":
    print(main())
