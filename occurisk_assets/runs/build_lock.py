"""One build per O*NET version, from the moment it is requested to the moment it is complete.

A build claims its version in core.version_build_claim (migration 0012): one row per version naming the
Dagster run that builds it, taken under a row lock so that two claimants never both win.

- The launching command (`occurisk pipeline`, `occurisk load`, every CLI run of data_version_pipeline)
  takes a session advisory lock on the version, then the claim for the run id it is about to submit, and
  keeps both until the run has ended (`launched`). Another request meanwhile is refused at once with
  "already building: run <id>", before it loads the definitions or creates a run.
- A run launched from the UI, the release sensor or a backfill has no launcher: its raw-load step
  (`claim_for_run`) claims the version before touching any table and fails with the same message when
  another run holds it. A run whose claim the launcher took finds it already its own.
- The raw loader writes only for the claim's run and records the fingerprint of the files it loaded
  (`record_load`); the run's last step (`verify_built`) checks, before the version is marked complete, that
  the raw tables still hold those files and that the version's build_run_id is still this run.

A claim counts only while its holder lives: its launcher holds the advisory lock (the run may not exist
yet), or its run is in progress and its process alive (run_recovery). A crash never blocks the next build:
the next claimant takes a dead or finished run's claim over, and crash recovery frees a dead run's claim.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator

import psycopg

from occurisk_assets.lib import db
from occurisk_assets.lib.names import DATA_VERSION_JOB
from occurisk_assets.runs import recovery as run_recovery
from occurisk_assets.versions import rebuild_key, rebuilt_version

_FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}


class AlreadyBuilding(Exception):
    def __init__(self, data_version: str, run_id: str | None):
        self.data_version, self.run_id = data_version, run_id
        holder = f"run {run_id}" if run_id else "run (being launched)"
        super().__init__(
            f"O*NET {data_version} is already building: {holder}; wait for it to finish or terminate it "
            "in the Dagster UI"
        )


class BuildChanged(Exception):
    """What the run loaded is no longer what the version holds: its build must not be marked complete."""


def _lock_key(data_version: str) -> str:
    return f"occurisk.build.{data_version}"


def _launcher_alive(conn: psycopg.Connection, data_version: str) -> bool:
    """Whether another session holds the version's advisory lock (a launcher whose run lives)."""
    key = _lock_key(data_version)
    if not conn.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (key,)).fetchone()[0]:
        return True
    conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (key,))
    return False


def _run_alive(instance, run_id: str) -> bool:
    run = instance.get_run_by_id(run_id)
    if run is None or run.status.value in _FINISHED:
        return False
    dead, _ = run_recovery.is_dead(instance, run)
    return not dead


def holder(conn: psycopg.Connection, data_version: str) -> str | None:
    row = conn.execute(
        "SELECT build_run_id FROM core.version_build_claim WHERE data_version = %s", (data_version,)
    ).fetchone()
    return row[0] if row else None


def _claim(conn: psycopg.Connection, instance, data_version: str, run_id: str) -> None:
    """Take the version's claim for `run_id` in one transaction, unless a live other run holds it."""
    with conn.transaction():
        try:
            row = conn.execute(
                "SELECT build_run_id FROM core.version_build_claim WHERE data_version = %s FOR UPDATE NOWAIT",
                (data_version,),
            ).fetchone()
        except psycopg.errors.LockNotAvailable:  # its holder is writing to it right now
            raise AlreadyBuilding(data_version, holder(conn, data_version)) from None
        if row and row[0] == run_id:
            return
        if row and (_launcher_alive(conn, data_version) or _run_alive(instance, row[0])):
            raise AlreadyBuilding(data_version, row[0])
        conn.execute(
            """INSERT INTO core.version_build_claim (data_version, build_run_id) VALUES (%s, %s)
               ON CONFLICT (data_version) DO UPDATE SET build_run_id = EXCLUDED.build_run_id, claimed_at = now(),
                   loaded_fingerprint = NULL""",
            (data_version, run_id),
        )


def claim_for_run(instance, data_version: str, run_id: str, url: str | None = None) -> None:
    """A run's own claim on its version (its first step, before any table is touched)."""
    with psycopg.connect(url or db.database_url(), autocommit=True) as conn:
        _claim(conn, instance, data_version, run_id)


def release(data_version: str, run_id: str, url: str | None = None) -> None:
    """Free the version's claim if `run_id` still holds it. A database that cannot be reached leaves the
    claim behind; it counts no longer than its run lives."""
    with (
        contextlib.suppress(psycopg.OperationalError),
        psycopg.connect(url or db.database_url(), autocommit=True) as conn,
    ):
        conn.execute(
            "DELETE FROM core.version_build_claim WHERE data_version = %s AND build_run_id = %s",
            (data_version, run_id),
        )


@contextlib.contextmanager
def launched(instance, data_version: str, run_id: str, url: str | None = None) -> Iterator[None]:
    """Hold the version for the run `run_id` this process is about to execute, until it has ended; raise
    AlreadyBuilding when another build of the version holds it or is queued, starting or running."""
    with psycopg.connect(url or db.database_url(), autocommit=True) as conn:
        key = _lock_key(data_version)
        if not conn.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (key,)).fetchone()[0]:
            raise AlreadyBuilding(data_version, holder(conn, data_version))
        # Runs requested before this one that have not reached their claim yet (queued, starting), of the
        # version or of its rebuild key (a rebuild and a build of one version must not overlap either).
        version = rebuilt_version(data_version) or data_version
        for key in (version, rebuild_key(version)):
            for run in run_recovery.in_progress_runs(instance, DATA_VERSION_JOB, key, queued=True):
                if not run_recovery.is_dead(instance, run)[0]:
                    raise AlreadyBuilding(data_version, run.run_id)
        _claim(conn, instance, data_version, run_id)
        try:
            yield
        finally:
            release(data_version, run_id, url)
    # Closing the connection ends the advisory lock, also when this process dies.


def fingerprint(files: dict[str, str]) -> str:
    """One hash of a release's present files (name → sha256)."""
    return hashlib.sha256("\n".join(f"{n}\t{files[n]}" for n in sorted(files)).encode()).hexdigest()


def _loaded_files(conn: psycopg.Connection, data_version: str) -> dict[str, str]:
    return dict(
        conn.execute(
            "SELECT file_name, sha256 FROM core.release_files WHERE data_version = %s AND present",
            (data_version,),
        ).fetchall()
    )


def record_load(conn: psycopg.Connection, data_version: str, run_id: str, files: dict[str, str]) -> None:
    """In the raw load's transaction: the load is `run_id`'s only while it holds the claim; remember what
    it loaded."""
    owned = conn.execute(
        """UPDATE core.version_build_claim SET loaded_fingerprint = %s
           WHERE data_version = %s AND build_run_id = %s""",
        (fingerprint(files), data_version, run_id),
    ).rowcount
    if not owned:
        raise AlreadyBuilding(data_version, holder(conn, data_version))


def verify_built(conn: psycopg.Connection, data_version: str, run_id: str | None) -> None:
    """Before `run_id` marks `data_version` complete (in that transaction): when this run loaded the raw
    tables, it must still hold the claim, the version's build_run_id must still be this run and the raw
    tables must still hold the files it loaded. A run that loaded nothing (re-scoring) has nothing to
    compare."""
    if run_id is None:
        return
    claim = conn.execute(
        "SELECT build_run_id, loaded_fingerprint FROM core.version_build_claim WHERE data_version = %s FOR SHARE",
        (data_version,),
    ).fetchone()
    built_by = conn.execute(
        "SELECT build_run_id FROM core.data_version WHERE id = %s", (data_version,)
    ).fetchone()
    built_by = built_by[0] if built_by else None
    if claim is None or claim[0] != run_id or claim[1] is None:
        if claim is not None and claim[0] != run_id and built_by == run_id:
            raise BuildChanged(
                f"run {claim[0]} took over the build of O*NET {data_version} while run {run_id} built it: "
                "this build is not marked complete"
            )
        return
    if built_by != run_id:
        raise BuildChanged(
            f"O*NET {data_version} was loaded again by run {built_by} while run {run_id} built it: "
            "this build is not marked complete"
        )
    if fingerprint(_loaded_files(conn, data_version)) != claim[1]:
        raise BuildChanged(
            f"the raw tables of O*NET {data_version} no longer hold the files run {run_id} loaded: "
            "this build is not marked complete"
        )
