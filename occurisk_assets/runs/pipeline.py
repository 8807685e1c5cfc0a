"""`occurisk pipeline` (run the whole graph for one O*NET version, recorded in the Dagster instance) and
`occurisk up` (serve the Dagster UI and the API until Ctrl-C)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import click
import psycopg

from occurisk_assets.lib import db, processes, schema
from occurisk_assets.lib.names import DATA_VERSION_JOB
from occurisk_assets.lib.settings import PROJECT_ROOT, get_settings
from occurisk_assets.runs import launch
from occurisk_assets.runs import recovery as run_recovery
from occurisk_assets.versions import build_key, mark_failed

SUMMARY_TABLES = (
    "onet_raw.occupation_data",
    "onet_raw.task_statements",
    "onet_raw.task_ratings",
    "onet_raw.alternate_titles",
    "marts.occupation_master",
    "marts.task_catalog",
    "marts.occupation_task_weight",
    "core.task_ai_score",
    "marts.task_ai_ensemble",
    "marts.occupation_ai_score",
)


def run_pipeline(data_version: str, instance=None, echo=None):
    """Execute the data_version job for `data_version` on the instance (BLS releases missing from the
    database are loaded by the same run); returns the result. `echo` hears about pool slot waits. A complete
    version is rebuilt under its rebuild key and stays served until the rebuild is switched in
    (lifecycle/rebuild.py)."""
    with db.connect() as conn:
        key = build_key(conn, data_version)
    return launch.run_job(DATA_VERSION_JOB, partition_key=key, instance=instance, echo=echo)


def recover_dead_runs(instance) -> None:
    """Before starting: fail the runs whose process is gone (freeing their pool slots and their versions'
    build claims), and make sure every pool has its limit before two runs can claim it at once. A live build
    of the same version refuses this one when it is launched (build_lock)."""
    run_recovery.ensure_pool_limits(instance)
    for dead in run_recovery.fail_dead_runs(instance, run_recovery.mark_versions_failed):
        click.echo(
            f"run {dead.run_id} ({dead.job_name}"
            + (f", O*NET {dead.data_version}" if dead.data_version else "")
            + f") had lost its process {dead.pid}: marked failed"
            + (
                f", its {', '.join(repr(p) for p in dead.freed_slots)} pool slot freed"
                if dead.freed_slots
                else ""
            ),
            err=True,
        )


def _existing(conn: psycopg.Connection, qualified: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (qualified,)).fetchone()[0]


def summary(conn: psycopg.Connection, data_version: str) -> list[str]:
    lines = [f"O*NET {data_version} — rows per table:"]
    for table in SUMMARY_TABLES:
        if _existing(conn, table):
            n = conn.execute(
                f"SELECT count(*) FROM {table} WHERE data_version = %s", (data_version,)
            ).fetchone()[0]
            lines.append(f"  {table:34} {n:>9,}")
    if _existing(conn, "core.activation_log"):
        decision = conn.execute(
            """SELECT outcome, reason, active_after FROM core.activation_log WHERE data_version = %s
               ORDER BY decided_at DESC LIMIT 1""",
            (data_version,),
        ).fetchone()
        if decision:
            lines.append(f"Activation: {decision[0]} — {decision[1]} (active version: {decision[2]})")
    if _existing(conn, "marts.occupation_ai_score"):
        top = conn.execute(
            """SELECT s.soc_code, m.title, s.mean, s.coverage FROM marts.occupation_ai_score s
               JOIN LATERAL (SELECT title FROM marts.occupation_master o WHERE o.data_version = s.data_version
                             AND o.soc_code = s.soc_code ORDER BY o.onetsoc_code LIMIT 1) m ON true
               WHERE s.data_version = %s ORDER BY s.mean DESC, s.soc_code LIMIT 10""",
            (data_version,),
        ).fetchall()
        if top:
            lines.append(
                "Top 10 occupations by AI-replacement risk (mean task score, coverage of task weight):"
            )
            for rank, (soc, title, mean, coverage) in enumerate(top, start=1):
                lines.append(f"  {rank:2}. {soc}  {float(mean):.3f}  ({float(coverage):.0%})  {title}")
    return lines


@click.command("pipeline")
@click.option(
    "--version", "data_version", default=None, help="O*NET version (default: OCCURISK_ONET_DEFAULT_VERSION)."
)
def pipeline(data_version: str | None) -> None:
    """Load an O*NET release and build everything derived from it, as one Dagster run."""
    data_version = data_version or get_settings().onet_default_version
    schema.ensure_server()
    db.export_connection_env()
    started = time.perf_counter()
    instance = launch.dagster_instance()
    recover_dead_runs(instance)
    result = run_pipeline(data_version, instance, echo=lambda line: click.echo(line, err=True))
    if not result.success:
        failure = launch.BuildFailed(f"the pipeline for O*NET {data_version}", result)
        with db.connect() as conn:
            # The run's own partition: a failed rebuild is recorded on its key, the served build stays.
            mark_failed(
                conn,
                result.dagster_run.tags.get(run_recovery.PARTITION_TAG, data_version),
                (failure.failures or ["the run failed"])[0][:500],
                result.run_id,
            )
        raise failure
    with db.connect() as conn:
        for line in summary(conn, data_version):
            click.echo(line)
    click.echo(
        f"Pipeline for O*NET {data_version} finished in {time.perf_counter() - started:.1f}s "
        f"(Dagster run {result.run_id})."
    )


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def dagster_dev_command(port: int) -> list[str]:
    """The Dagster webserver and daemon with one code server they share, as `occurisk up` starts them."""
    return [
        os.path.join(os.path.dirname(sys.executable), "dagster"),
        "dev",
        "-w",
        str(PROJECT_ROOT / "workspace.yaml"),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
    ]


@click.command("up")
@click.option("--dagster-port", default=3000, show_default=True)
@click.option("--api-port", default=8000, show_default=True)
def up(dagster_port: int, api_port: int) -> None:
    """Serve the Dagster UI (127.0.0.1:3000) and the API (127.0.0.1:8000) until Ctrl-C."""
    schema.ensure_server()
    db.export_connection_env()
    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT))
    bin_dir = os.path.dirname(sys.executable)
    # The code location runs `dbt` from PATH; the venv's must be found however `occurisk` was started.
    os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
    recover_dead_runs(launch.dagster_instance())
    # A service manager stops us with SIGTERM: shut down the children the same way as on Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    children = [
        subprocess.Popen(
            dagster_dev_command(dagster_port),
            cwd=PROJECT_ROOT,
            # Its own process group: `dagster dev` starts a code server, a daemon and a webserver, which
            # must all stop with it (see _stop).
            start_new_session=True,
        )
    ]
    click.echo(f"Dagster UI: http://127.0.0.1:{dagster_port}")
    if (PROJECT_ROOT / "api" / "main.py").exists():
        children.append(
            subprocess.Popen(
                # `occurisk serve`, the one way the API is started (api/commands.py).
                [os.path.join(bin_dir, "occurisk"), "serve", "--port", str(api_port), "--workers", "2"],
                cwd=PROJECT_ROOT,
                start_new_session=True,
            )
        )
        click.echo(f"API: http://127.0.0.1:{api_port}/docs")
    try:
        while all(p.poll() is None for p in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        _stop(children)


def _tree(children: list[subprocess.Popen]) -> set[int]:
    """Each child (a session leader), what descends from it, and what is still in its session after its
    parent died (an orphan adopted by init is no descendant any more)."""
    pids = {p.pid for p in children}
    return pids.union(*(processes.descendants(pid) | processes.in_session(pid) for pid in pids))


def _stop(children: list[subprocess.Popen], grace_s: float = 5.0) -> None:
    """SIGINT to each child's process group (as Ctrl-C in a terminal would), then SIGKILL to every process
    of theirs still there after `grace_s` — whatever group it moved to: no code server or gRPC process
    outlives `occurisk up`."""
    tree = _tree(children)
    for p in children:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGINT)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        for p in children:
            p.poll()  # reap our own children as they exit
        tree |= _tree(children)
        if not any(processes.alive(pid) for pid in tree):
            break
        time.sleep(0.2)
    for pid in tree | _tree(children):
        if processes.alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    for p in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            p.wait(timeout=5)


commands = [pipeline, up]
