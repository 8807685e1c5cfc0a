"""Asset checks of the careers assets. Like the BLS checks they are not partitioned: in a partitioned run
they check that run's data_version, run alone every version built."""

from collections.abc import Callable

import psycopg
from dagster import AssetCheckExecutionContext, AssetCheckResult, MetadataValue, asset_check

from occurisk_assets.careers.similarity import COMPONENTS
from occurisk_assets.careers.transitions import DEFAULTS
from occurisk_assets.defs.careers.assets import OCCUPATION_SIMILARITY, OCCUPATION_TRANSITIONS
from occurisk_assets.resources import PlatformDatabase

Outcome = tuple[bool, dict]


def run_per_version(
    context: AssetCheckExecutionContext,
    database: PlatformDatabase,
    table: str,
    check: Callable[[psycopg.Connection, str], Outcome],
) -> AssetCheckResult:
    with database.connect() as conn:
        if context.has_partition_key:
            versions = [context.partition_key]
        else:
            versions = [r[0] for r in conn.execute(f"SELECT DISTINCT data_version FROM {table} ORDER BY 1")]
        if not versions:
            return AssetCheckResult(passed=False, metadata={"error": f"{table} is empty"})
        outcomes = {v: check(conn, v) for v in versions}
    passed = all(ok for ok, _ in outcomes.values())
    if len(outcomes) == 1:
        ((version, (_, metadata)),) = outcomes.items()
        return AssetCheckResult(passed=passed, metadata={"data_version": version, **metadata})
    return AssetCheckResult(
        passed=passed,
        metadata={
            v: MetadataValue.json({"passed": ok, **metadata}) for v, (ok, metadata) in outcomes.items()
        },
    )


def _one(conn: psycopg.Connection, query: str, params: dict):
    return conn.execute(query, params).fetchone()


def self_pairs(conn: psycopg.Connection, version: str) -> Outcome:
    (n,) = _one(
        conn,
        "SELECT count(*) FROM careers.occupation_similarity WHERE data_version = %(v)s "
        "AND soc_code = similar_soc_code",
        {"v": version},
    )
    return n == 0, {"self_pairs": n}


def range_and_symmetry(conn: psycopg.Connection, version: str) -> Outcome:
    components_out = " OR ".join(f"s.{c} NOT BETWEEN 0 AND 1" for c in COMPONENTS)
    pairs, out_of_range, no_reverse, asymmetric = _one(
        conn,
        f"""SELECT count(*),
                   count(*) FILTER (WHERE s.similarity NOT BETWEEN 0 AND 1 OR {components_out}),
                   count(*) FILTER (WHERE r.soc_code IS NULL),
                   count(*) FILTER (WHERE r.similarity <> s.similarity)
            FROM careers.occupation_similarity s
            LEFT JOIN careers.occupation_similarity r ON r.data_version = s.data_version
                 AND r.soc_code = s.similar_soc_code AND r.similar_soc_code = s.soc_code
            WHERE s.data_version = %(v)s""",
        {"v": version},
    )
    ok = pairs > 0 and out_of_range == 0 and no_reverse == 0 and asymmetric == 0
    return ok, {
        "pairs": pairs,
        "out_of_range": out_of_range,
        "pairs_without_reverse": no_reverse,
        "asymmetric_pairs": asymmetric,
    }


def scored_socs_covered(conn: psycopg.Connection, version: str) -> Outcome:
    scored, missing = _one(
        conn,
        """SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (
                   SELECT 1 FROM careers.occupation_similarity s
                   WHERE s.data_version = o.data_version AND s.soc_code = o.soc_code))
           FROM marts.occupation_summary o WHERE o.data_version = %(v)s AND o.ai_mean IS NOT NULL""",
        {"v": version},
    )
    return scored > 0 and missing == 0, {"scored_socs": scored, "scored_socs_without_similarity": missing}


def transitions_by_reason(conn: psycopg.Connection, version: str) -> Outcome:
    """Every scored SOC has candidates; those without a transition under the defaults, counted by reason."""
    scored, without_candidates = _one(
        conn,
        """SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (
                   SELECT 1 FROM marts.occupation_transitions t
                   WHERE t.data_version = o.data_version AND t.soc_code = o.soc_code))
           FROM marts.occupation_summary o WHERE o.data_version = %(v)s AND o.ai_mean IS NOT NULL""",
        {"v": version},
    )
    query, params = DEFAULTS.reasons_sql()
    rows = conn.execute(query, {"v": version, **params}).fetchall()
    by_reason: dict[str, int] = {}
    for _, reason in rows:
        by_reason[reason] = by_reason.get(reason, 0) + 1
    return scored > 0 and without_candidates == 0, {
        "scored_socs": scored,
        "scored_socs_without_candidates": without_candidates,
        "socs_without_default_transitions": len(rows),
        "socs_with_default_transitions": scored - without_candidates - len(rows),
        "without_default_transitions_by_reason": MetadataValue.json(dict(sorted(by_reason.items()))),
    }


@asset_check(asset=OCCUPATION_SIMILARITY, description="No SOC is stored as similar to itself")
def similarity_has_no_self_pairs(
    context: AssetCheckExecutionContext, database: PlatformDatabase
) -> AssetCheckResult:
    return run_per_version(context, database, "careers.occupation_similarity", self_pairs)


@asset_check(
    asset=OCCUPATION_SIMILARITY,
    description="Similarity and every component in [0, 1]; every pair stored both ways with the same value",
)
def similarity_in_range_and_symmetric(
    context: AssetCheckExecutionContext, database: PlatformDatabase
) -> AssetCheckResult:
    return run_per_version(context, database, "careers.occupation_similarity", range_and_symmetry)


@asset_check(asset=OCCUPATION_SIMILARITY, description="Every SOC with an AI score has similar SOCs")
def similarity_covers_scored_socs(
    context: AssetCheckExecutionContext, database: PlatformDatabase
) -> AssetCheckResult:
    return run_per_version(context, database, "careers.occupation_similarity", scored_socs_covered)


@asset_check(
    asset=OCCUPATION_TRANSITIONS,
    description="Every scored SOC has candidate moves; those with no transition under the default filters "
    "are counted by reason (e.g. no similar occupation is safer: already among the least exposed)",
)
def transitions_cover_scored_socs(
    context: AssetCheckExecutionContext, database: PlatformDatabase
) -> AssetCheckResult:
    return run_per_version(context, database, "marts.occupation_transitions", transitions_by_reason)


asset_checks = [
    similarity_has_no_self_pairs,
    similarity_in_range_and_symmetric,
    similarity_covers_scored_socs,
    transitions_cover_scored_socs,
]
