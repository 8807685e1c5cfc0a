"""Which data_version is active: exactly one at a time, switched in one transaction, and only through the
gates of checks.py unless a person forces it. Every decision is logged in core.activation_log."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg.types.json import Jsonb

from occurisk_assets.defs.lifecycle.checks import GateResult, run_gates
from occurisk_assets.defs.lifecycle.schema import ensure_lifecycle_tables
from occurisk_assets.defs.onet.checks import version_sort_key
from occurisk_assets.defs.onet.loader import ensure_core_tables

# Who asked: the pipeline's activation asset switches only forward; a person may choose any version.
PIPELINE, PERSON = "pipeline", "cli"


class UnknownVersion(Exception):
    pass


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


def active_version(conn: psycopg.Connection) -> str | None:
    row = conn.execute("SELECT id FROM core.data_version WHERE is_active").fetchone()
    return row[0] if row else None


@dataclass
class VersionRow:
    data_version: str
    release_date: object
    is_active: bool
    loaded_at: object
    source: str | None
    last_outcome: str | None
    last_reason: str | None
    last_decided_at: object


def list_versions(conn: psycopg.Connection) -> list[VersionRow]:
    """Every loaded version with its latest activation decision (why it is, or is not, active)."""
    ensure_lifecycle_tables(conn)
    rows = conn.execute(
        """SELECT v.id, v.release_date, v.is_active, v.loaded_at, v.source, d.outcome, d.reason, d.decided_at
           FROM core.data_version v
           LEFT JOIN LATERAL (SELECT outcome, reason, decided_at FROM core.activation_log a
                              WHERE a.data_version = v.id ORDER BY decided_at DESC, decision_id DESC LIMIT 1) d
                  ON true
           ORDER BY string_to_array(v.id, '.')::int[]"""
    ).fetchall()
    return [VersionRow(*r) for r in rows]


def activate(conn: psycopg.Connection, data_version: str, note: str | None = None) -> None:
    """Switch the active version (no gates: see `decide` for the gated path)."""
    ensure_core_tables(conn)
    with conn.transaction():
        exists = conn.execute(
            "SELECT loaded_at IS NOT NULL FROM core.data_version WHERE id = %s FOR UPDATE", (data_version,)
        ).fetchone()
        if not exists or not exists[0]:
            raise UnknownVersion(
                f"O*NET {data_version} is not loaded; load it first (occurisk pipeline --version {data_version})"
            )
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
    ensure_lifecycle_tables(conn)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('occurisk.activation', 0))")
        known = conn.execute(
            "SELECT loaded_at IS NOT NULL FROM core.data_version WHERE id = %s", (data_version,)
        ).fetchone()
        if not known or not known[0]:
            raise UnknownVersion(
                f"O*NET {data_version} is not loaded; load it first (occurisk pipeline --version {data_version})"
            )
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
