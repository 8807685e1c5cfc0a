"""The activation gates: the blocking checks a data_version must pass before it may become active.

Each gate reads what the pipeline left in PostgreSQL and returns a GateResult; a missing table is a
failure that says which step has not run, never a pass.
"""

from __future__ import annotations

import psycopg
from psycopg import sql
from pydantic import BaseModel

from occurisk_assets.lib.schema import table_exists

ROW_COUNTS = "raw_rows_match_manifest"
WEIGHT_SUMS = "task_weights_sum_to_one"
SCORING_COVERAGE = "scoring_coverage"
GATE_NAMES = (ROW_COUNTS, WEIGHT_SUMS, SCORING_COVERAGE)
WEIGHT_TOLERANCE = 1e-9


class GateResult(BaseModel):
    name: str
    passed: bool
    detail: str  # one line, said to people (CLI, UI, activation_log.reason)
    facts: dict[str, float | int | str | list[str] | None] = {}


def row_counts_gate(conn: psycopg.Connection, data_version: str) -> GateResult:
    """Every present file of the release: rows in onet_raw.<table> == data lines in core.release_files."""
    manifest = conn.execute(
        "SELECT table_name, rows FROM core.release_files WHERE data_version = %s AND present ORDER BY table_name",
        (data_version,),
    ).fetchall()
    if not manifest:
        return GateResult(
            name=ROW_COUNTS, passed=False, detail=f"O*NET {data_version} has no release manifest: not loaded"
        )
    mismatches = []
    for table, expected in manifest:
        loaded = conn.execute(
            sql.SQL("SELECT count(*) FROM {} WHERE data_version = %s").format(
                sql.Identifier("onet_raw", table)
            ),
            (data_version,),
        ).fetchone()[0]
        if loaded != expected:
            mismatches.append(f"onet_raw.{table} {loaded} rows, manifest {expected}")
    detail = (
        f"{len(manifest)} tables match the manifest"
        if not mismatches
        else f"{len(mismatches)} of {len(manifest)} tables differ from the manifest: "
        + "; ".join(mismatches[:5])
    )
    return GateResult(
        name=ROW_COUNTS,
        passed=not mismatches,
        detail=detail,
        facts={"tables": len(manifest), "mismatches": mismatches},
    )


def weight_sums_gate(conn: psycopg.Connection, data_version: str) -> GateResult:
    """|Σ weight − 1| < 1e-9 for every SOC of marts.occupation_task_weight."""
    if not table_exists(conn, "marts.occupation_task_weight"):
        return GateResult(
            name=WEIGHT_SUMS,
            passed=False,
            detail="marts.occupation_task_weight does not exist: the dbt task models have not run",
        )
    n_socs, off = conn.execute(
        """SELECT count(*), count(*) FILTER (WHERE abs(total - 1) >= %s)
           FROM (SELECT soc_code, sum(weight) AS total FROM marts.occupation_task_weight
                 WHERE data_version = %s GROUP BY soc_code) s""",
        (WEIGHT_TOLERANCE, data_version),
    ).fetchone()
    if n_socs == 0:
        return GateResult(
            name=WEIGHT_SUMS,
            passed=False,
            detail=f"no task weights for O*NET {data_version}",
            facts={"socs": 0, "socs_off": 0},
        )
    worst = conn.execute(
        """SELECT soc_code FROM marts.occupation_task_weight WHERE data_version = %s GROUP BY soc_code
           HAVING abs(sum(weight) - 1) >= %s ORDER BY abs(sum(weight) - 1) DESC, soc_code LIMIT 5""",
        (data_version, WEIGHT_TOLERANCE),
    ).fetchall()
    detail = (
        f"weights sum to 1 for all {n_socs} SOCs"
        if off == 0
        else f"{off} of {n_socs} SOCs have |Σw−1| ≥ {WEIGHT_TOLERANCE:g} (e.g. {', '.join(r[0] for r in worst)})"
    )
    return GateResult(
        name=WEIGHT_SUMS,
        passed=off == 0,
        detail=detail,
        facts={"socs": n_socs, "socs_off": off, "examples": [r[0] for r in worst]},
    )


def coverage_gate(conn: psycopg.Connection, data_version: str, min_coverage: float) -> GateResult:
    """Mean coverage over every SOC that has task weights (a SOC without any score counts as 0) ≥ threshold."""
    for table in ("marts.occupation_task_weight", "marts.occupation_ai_score"):
        if not table_exists(conn, table):
            return GateResult(
                name=SCORING_COVERAGE,
                passed=False,
                detail=f"{table} does not exist: scoring and its dbt models have not run",
            )
    n_socs, n_scored, mean_coverage = conn.execute(
        """SELECT count(*), count(s.soc_code), coalesce(avg(coalesce(s.coverage, 0)), 0)::float8
           FROM (SELECT DISTINCT soc_code FROM marts.occupation_task_weight WHERE data_version = %s) w
           LEFT JOIN marts.occupation_ai_score s ON s.data_version = %s AND s.soc_code = w.soc_code""",
        (data_version, data_version),
    ).fetchone()
    passed = n_socs > 0 and mean_coverage >= min_coverage
    detail = (
        f"mean scoring coverage {mean_coverage:.3f} {'≥' if passed else '<'} {min_coverage:.3f} "
        f"({n_scored} of {n_socs} SOCs scored)"
    )
    return GateResult(
        name=SCORING_COVERAGE,
        passed=passed,
        detail=detail,
        facts={
            "socs": n_socs,
            "socs_scored": n_scored,
            "mean_coverage": round(mean_coverage, 6),
            "min_coverage": min_coverage,
        },
    )


def run_gates(conn: psycopg.Connection, data_version: str, min_coverage: float) -> list[GateResult]:
    return [
        row_counts_gate(conn, data_version),
        weight_sums_gate(conn, data_version),
        coverage_gate(conn, data_version, min_coverage),
    ]
