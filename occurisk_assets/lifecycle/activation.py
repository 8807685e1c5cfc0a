"""Which data_version is active: exactly one at a time, switched in one transaction, and only through the
gates of gates.py unless a person forces it. Every decision is logged in core.activation_log."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg.types.json import Jsonb

from occurisk_assets.lifecycle.gates import GateResult, run_gates
from occurisk_assets.versions import (
    COMPLETE,
    REBUILD_MARK,
    SQL_NOT_A_REBUILD,
    SQL_SORT_KEY,
    active_version,
    version_sort_key,
)

# Who asked: the pipeline's activation asset switches only forward; a person may choose any version.
PIPELINE, PERSON = "pipeline", "cli"


class UnknownVersion(Exception):
    """Not loaded, or not completely built: such a version is never made active."""


@dataclass
class ActivationDecision:
    data_version: str
    outcome: str  # activated | blocked | not_newer | already_active
    forced: bool  # activated although a gate failed
    active_before: str | None
    active_after: str | None
    reason: str
    gates: list[GateResult]

    @property
    def activated(self) -> bool:
        return self.outcome == "activated"


@dataclass
class VersionRow:
    data_version: str
    release_date: object
    is_active: bool
    loaded_at: object
    source: str | None
    build_status: str
    built_at: object
    build_error: str | None
    last_outcome: str | None
    last_reason: str | None
    last_decided_at: object
    # Its rebuild under the rebuild key (lifecycle/rebuild.py), while the version stays served.
    rebuild_status: str | None = None
    rebuild_error: str | None = None
    rebuild_failed_at: object = None


def list_versions(conn: psycopg.Connection) -> list[VersionRow]:
    """Every loaded version with its build status, the state of a rebuild of it, and the activation
    decision that explains its state."""
    rows = [
        VersionRow(*r)
        for r in conn.execute(
            f"""SELECT v.id, v.release_date, v.is_active, v.loaded_at, v.source, v.build_status, v.built_at,
                      v.build_error, d.outcome, d.reason, d.decided_at, r.build_status, r.build_error, r.failed_at
               FROM core.data_version v
               LEFT JOIN LATERAL (SELECT outcome, reason, decided_at FROM core.activation_log a
                                  WHERE a.data_version = v.id ORDER BY decided_at DESC, decision_id DESC LIMIT 1) d
                      ON true
               LEFT JOIN core.data_version r ON r.id = v.id || %s
               WHERE {SQL_NOT_A_REBUILD.replace("id", "v.id")}
               ORDER BY {SQL_SORT_KEY.format("v.id")}""",
            (REBUILD_MARK,),
        )
    ]
    active = next((r.data_version for r in rows if r.is_active), None)
    for row in rows:
        # It was made (or found) active, then another version was activated: that is its state now.
        if not row.is_active and row.last_outcome in ("activated", "already_active"):
            row.last_outcome = "replaced"
            row.last_reason = f"O*NET {active or 'another version'} was activated after it"
    return rows


def _require_complete(conn: psycopg.Connection, data_version: str, lock: bool = False) -> None:
    found = conn.execute(
        "SELECT loaded_at IS NOT NULL, build_status FROM core.data_version WHERE id = %s"
        + (" FOR UPDATE" if lock else ""),
        (data_version,),
    ).fetchone()
    if not found or not found[0]:
        raise UnknownVersion(
            f"O*NET {data_version} is not loaded; load it first (occurisk pipeline --version {data_version})"
        )
    if found[1] != COMPLETE:
        raise UnknownVersion(
            f"O*NET {data_version} is not completely built (build status: {found[1]}); "
            f"finish it first (occurisk pipeline --version {data_version})"
        )


def activate(conn: psycopg.Connection, data_version: str, note: str | None = None) -> None:
    """Switch the active version (no gates: see `decide` for the gated path)."""
    with conn.transaction():
        _require_complete(conn, data_version, lock=True)
        conn.execute(
            "UPDATE core.data_version SET is_active = false WHERE is_active AND id <> %s", (data_version,)
        )
        conn.execute(
            "UPDATE core.data_version SET is_active = true, notes = coalesce(%s, notes) WHERE id = %s",
            (note, data_version),
        )


def _outcome(
    data_version: str, current: str | None, gates: list[GateResult], force: bool, trigger: str
) -> tuple[str, str]:
    failed = [g for g in gates if not g.passed]
    if current == data_version:
        return "already_active", "already active" + (
            "; failing now: " + "; ".join(g.detail for g in failed) if failed else ""
        )
    if failed and not force:
        return "blocked", "; ".join(f"{g.name}: {g.detail}" for g in failed)
    if trigger == PIPELINE and current and version_sort_key(data_version) < version_sort_key(current):
        return "not_newer", (
            f"older than the active {current}: not switched automatically "
            f"(`occurisk versions activate {data_version}` rolls back)"
        )
    if failed:
        return "activated", "forced past failing gates: " + "; ".join(f"{g.name}: {g.detail}" for g in failed)
    return "activated", "all gates passed"


def decide(
    conn: psycopg.Connection,
    data_version: str,
    *,
    min_coverage: float,
    trigger: str,
    force: bool = False,
    dagster_run_id: str | None = None,
) -> ActivationDecision:
    """Run the gates for `data_version` and make it active if they pass (or if forced); log the decision.

    Serialised by an advisory lock so concurrent runs (a backfill) decide one after the other.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('occurisk.activation', 0))")
        _require_complete(conn, data_version)
        current = active_version(conn)
        gates = run_gates(conn, data_version, min_coverage)
        outcome, reason = _outcome(data_version, current, gates, force, trigger)
        if outcome == "activated":
            activate(conn, data_version)
        after = data_version if outcome in ("activated", "already_active") else current
        forced = outcome == "activated" and any(not g.passed for g in gates)
        conn.execute(
            """INSERT INTO core.activation_log (data_version, outcome, forced, trigger, active_before, active_after,
                                                reason, gates, dagster_run_id)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)""",
            (
                data_version,
                outcome,
                forced,
                trigger,
                current,
                after,
                reason,
                Jsonb([g.model_dump() for g in gates]),
                dagster_run_id,
            ),
        )
    return ActivationDecision(data_version, outcome, forced, current, after, reason, gates)
