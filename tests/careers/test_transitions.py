"""Transitions of the real O*NET 30.1 build: the default filters do what docs/methodology.md says, every
field is what its definition computes from the tables it comes from, and the done-when example holds."""

import math

import psycopg
import pytest

from occurisk_assets.careers.transitions import DEFAULTS, TransitionFilters
from occurisk_assets.defs.careers import checks

V = "30.1"


def default_transitions(conn, soc: str | None = None, filters: TransitionFilters = DEFAULTS) -> list[dict]:
    condition, params = filters.where("t")
    soc_filter = "AND t.soc_code = %(soc)s" if soc else ""
    cur = conn.cursor()
    cur.execute(
        f"""SELECT t.*, s.ai_mean AS src_mean, s.ai_std AS src_std, g.ai_mean AS tgt_mean, g.ai_std AS tgt_std,
                   s.job_zone AS src_jz, g.job_zone AS tgt_jz, bs.median_annual_wage AS src_wage,
                   bt.median_annual_wage AS tgt_wage, bt.median_annual_wage_flag AS tgt_wage_flag
            FROM marts.occupation_transitions t
            JOIN marts.occupation_summary s ON s.data_version = t.data_version AND s.soc_code = t.soc_code
            JOIN marts.occupation_summary g ON g.data_version = t.data_version AND g.soc_code = t.target_soc_code
            LEFT JOIN marts.soc_bls_metrics bs ON bs.data_version = t.data_version AND bs.soc_code = t.soc_code
            LEFT JOIN marts.soc_bls_metrics bt ON bt.data_version = t.data_version AND bt.soc_code = t.target_soc_code
            WHERE t.data_version = %(v)s {soc_filter} AND {condition}
            ORDER BY t.soc_code, t.transition_score DESC, t.target_soc_code""",
        {"v": V, "soc": soc, **params},
    )
    names = [d.name for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


@pytest.fixture(scope="module")
def defaults(db_conn) -> list[dict]:
    return default_transitions(db_conn)


def test_every_default_transition_is_safer_beyond_the_uncertainty_closer_in_level_and_pay(defaults):
    assert len(defaults) > 5000
    for t in defaults:
        margin = math.sqrt((t["src_std"] or 0) ** 2 + (t["tgt_std"] or 0) ** 2)
        assert t["tgt_mean"] < t["src_mean"] - margin - 1e-9
        assert t["tgt_jz"] - t["src_jz"] <= 1
        if t["tgt_wage"] is not None:
            assert t["tgt_wage"] >= 0.75 * t["src_wage"]
        else:
            assert t["tgt_wage_flag"] == "top_coded" and t["src_wage"] is not None
        assert t["similarity_rank"] <= 50


def test_turning_filters_off_only_adds_candidates(db_conn, defaults):
    everything = default_transitions(db_conn, filters=TransitionFilters(None, None, False))
    (n_candidates,) = db_conn.execute(
        "SELECT count(*) FROM marts.occupation_transitions WHERE data_version = %s", (V,)
    ).fetchone()
    assert len(everything) == n_candidates
    keys = {(t["soc_code"], t["target_soc_code"]) for t in defaults}
    assert keys < {(t["soc_code"], t["target_soc_code"]) for t in everything}
    not_safer = [t for t in everything if not t["is_safer"]]
    assert not_safer and all(
        t["tgt_mean"] >= t["src_mean"] - math.sqrt((t["src_std"] or 0) ** 2 + (t["tgt_std"] or 0) ** 2) - 1e-9
        for t in not_safer
    )


def test_score_and_fields_follow_their_definitions(defaults):
    for t in defaults[:2000]:
        drop = max(0.0, t["src_mean"] - t["tgt_mean"]) / t["src_mean"]
        closeness = 1 - (t["similarity_rank"] - 1) / 50
        growth = 0.5 if t["growth_percentile"] is None else t["growth_percentile"]
        openings = 0.5 if t["openings_percentile"] is None else t["openings_percentile"]
        assert t["transition_score"] == pytest.approx(
            0.5 * closeness + 0.3 * drop + 0.1 * growth + 0.1 * openings
        )
        assert t["ai_score_change"] == pytest.approx(t["tgt_mean"] - t["src_mean"])
        if t["wage_ratio"] is not None:
            assert t["wage_ratio"] == pytest.approx(t["tgt_wage"] / t["src_wage"])


def test_customer_service_representatives_have_ten_safer_moves_with_skill_gaps(db_conn):
    moves = default_transitions(db_conn, "43-4051")
    with_gaps = [t for t in moves if t["skill_gaps"]]
    assert len(with_gaps) >= 10
    profile = {
        (soc, domain, element): (importance, level)
        for soc, domain, element, importance, level in db_conn.execute(
            """SELECT soc_code, domain, element_id, importance, level FROM marts.soc_descriptor_profile
               WHERE data_version = %s AND domain IN ('skill', 'knowledge')""",
            (V,),
        )
    }
    for t in with_gaps:
        for gap in t["skill_gaps"]:
            yours = profile[("43-4051", gap["domain"], gap["element_id"])][1]
            importance, needed = profile[(t["target_soc_code"], gap["domain"], gap["element_id"])]
            # Levels are shown to 2 decimals.
            assert gap["your_level"] == pytest.approx(yours, abs=0.0051)
            assert gap["needed_level"] == pytest.approx(needed, abs=0.0051)
            assert needed - yours >= 0.75 and importance >= 3
        levels = [g["needed_level"] - g["your_level"] for g in t["skill_gaps"]]
        assert levels == sorted(levels, reverse=True)


def test_carries_over_names_work_activities_both_occupations_do(db_conn):
    moves = default_transitions(db_conn, "43-4051")
    activities = {}
    for soc, title in db_conn.execute(
        "SELECT soc_code, dwa_title FROM marts.soc_detailed_work_activity WHERE data_version = %s", (V,)
    ):
        activities.setdefault(soc, set()).add(title)
    for t in moves:
        shared = [item["name"] for item in t["carries_over"] if item["kind"] == "work_activity"]
        assert len(shared) == min(5, len(activities["43-4051"] & activities[t["target_soc_code"]]))
        assert set(shared) <= activities["43-4051"] & activities[t["target_soc_code"]]


def test_socs_without_default_transitions_are_counted_by_reason(built_database, db_conn, defaults):
    with psycopg.connect(built_database) as conn:
        ok, metadata = checks.transitions_by_reason(conn, V)
    assert ok and metadata["scored_socs_without_candidates"] == 0
    with_moves = {t["soc_code"] for t in defaults}
    assert metadata["socs_with_default_transitions"] == len(with_moves)
    by_reason = metadata["without_default_transitions_by_reason"].data
    assert sum(by_reason.values()) == metadata["socs_without_default_transitions"]
    assert (
        metadata["socs_with_default_transitions"] + metadata["socs_without_default_transitions"]
        == metadata["scored_socs"]
    )
    # The least exposed occupations have nothing safer nearby: that is the most common reason.
    assert max(by_reason, key=by_reason.get) == "no_similar_occupation_is_safer"
