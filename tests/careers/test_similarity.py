"""Occupation similarity of the real O*NET 30.1 build (tests/built_platform.py): exact properties of the
stored pairs, the components recorded, known neighbours, and the recall of O*NET's related occupations."""

import json
import math

import numpy as np
import psycopg
import pytest

from occurisk_assets.careers.build import compute_components
from occurisk_assets.careers.similarity import COMPONENT_WEIGHTS, COMPONENTS, DEFAULT_TOP_K
from occurisk_assets.defs.careers import checks

V = "30.1"
# Measured on the 30.1 build: 0.684 (2,829 of O*NET's 4,134 Primary-Short related SOC pairs). A floor a
# little below it: a change of method that loses recall must be a decision, not an accident.
RECALL_FLOOR = 0.65
# The files the shared 30.1 copy lacks (../shared/data/README.md): their components cannot be used.
ABSENT_COMPONENTS = {"abilities", "work_activities", "work_context"}


def rows(conn, query: str, params=()):
    return conn.execute(query, params).fetchall()


@pytest.fixture(scope="module")
def build(db_conn) -> dict:
    (n_socs, n_pairs, components, recall, top_k) = rows(
        db_conn,
        "SELECT n_socs, n_pairs, components, related_recall, top_k FROM careers.similarity_build "
        "WHERE data_version = %s",
        (V,),
    )[0]
    return {"n_socs": n_socs, "n_pairs": n_pairs, "components": components, "recall": recall, "top_k": top_k}


def test_components_used_follow_the_files_the_release_has(db_conn, build):
    absent = {
        r[0]
        for r in rows(
            db_conn, "SELECT table_name FROM core.release_files WHERE data_version = %s AND NOT present", (V,)
        )
    }
    assert {"abilities", "work_activities", "work_context"} <= absent
    used = {name for name, c in build["components"].items() if c["used"]}
    assert used == set(COMPONENTS) - ABSENT_COMPONENTS
    assert math.isclose(sum(c["effective_weight"] for c in build["components"].values()), 1.0, abs_tol=1e-5)
    for name, c in build["components"].items():
        assert c["weight"] == COMPONENT_WEIGHTS[name]
    # Stored columns of the absent components are empty; those of the used ones are filled.
    counts = rows(
        db_conn,
        f"SELECT {', '.join(f'count({c})' for c in COMPONENTS)}, count(*) FROM careers.occupation_similarity "
        "WHERE data_version = %s",
        (V,),
    )[0]
    by_name = dict(zip(COMPONENTS, counts[:-1], strict=True))
    assert all(by_name[c] == 0 for c in ABSENT_COMPONENTS)
    assert by_name["dwas"] == by_name["task_text"] == counts[-1]


def test_combined_similarity_is_the_weighted_mean_of_the_components_a_pair_has(db_conn, build):
    weights = {n: c["weight"] for n, c in build["components"].items()}
    numerator = " + ".join(f"coalesce({c}, 0) * {weights[c]}" for c in COMPONENTS)
    denominator = " + ".join(f"CASE WHEN {c} IS NULL THEN 0 ELSE {weights[c]} END" for c in COMPONENTS)
    (worst,) = rows(
        db_conn,
        f"SELECT max(abs(similarity - ({numerator}) / ({denominator}))) FROM careers.occupation_similarity "
        "WHERE data_version = %s",
        (V,),
    )[0]
    assert worst < 5e-6  # components and similarity are each stored rounded to 6 decimals


def test_pairs_are_symmetric_in_range_without_self_pairs_and_cover_every_scored_soc(built_database):
    with psycopg.connect(built_database) as conn:
        outcomes = {
            "self": checks.self_pairs(conn, V),
            "range": checks.range_and_symmetry(conn, V),
            "covered": checks.scored_socs_covered(conn, V),
        }
    assert outcomes["self"] == (True, {"self_pairs": 0})
    ok, metadata = outcomes["range"]
    assert (
        ok
        and metadata["pairs_without_reverse"] == metadata["asymmetric_pairs"] == metadata["out_of_range"] == 0
    )
    ok, metadata = outcomes["covered"]
    assert ok and metadata["scored_socs_without_similarity"] == 0 and metadata["scored_socs"] > 790


def test_each_soc_keeps_exactly_its_top_k_plus_reverses(db_conn, build):
    per_soc = rows(
        db_conn,
        """SELECT soc_code, count(*) FILTER (WHERE similarity_rank <= %s), count(*),
                  bool_and(similarity_rank > %s OR similarity >= coalesce((
                      SELECT max(o.similarity) FROM careers.occupation_similarity o
                      WHERE o.data_version = s.data_version AND o.soc_code = s.soc_code
                        AND o.similarity_rank > %s), 0))
           FROM careers.occupation_similarity s WHERE data_version = %s GROUP BY soc_code""",
        (DEFAULT_TOP_K, DEFAULT_TOP_K, DEFAULT_TOP_K, V),
    )
    assert build["top_k"] == DEFAULT_TOP_K and len(per_soc) == build["n_socs"]
    assert all(top == DEFAULT_TOP_K and total >= top and ordered for _, top, total, ordered in per_soc)
    assert sum(total for _, _, total, _ in per_soc) == build["n_pairs"]


def top(conn, soc: str, n: int) -> list[str]:
    return [
        r[0]
        for r in rows(
            conn,
            "SELECT similar_soc_code FROM careers.occupation_similarity WHERE data_version = %s AND soc_code = %s "
            "AND similarity_rank <= %s ORDER BY similarity_rank",
            (V, soc, n),
        )
    ]


def test_customer_service_representatives_are_nearest_to_customer_facing_clerks(db_conn):
    nearest = top(db_conn, "43-4051", 10)
    customer_facing_clerks = {
        "43-4171",  # Receptionists and Information Clerks
        "43-4081",  # Hotel, Motel, and Resort Desk Clerks
        "43-4181",  # Reservation and Transportation Ticket Agents and Travel Clerks
        "43-4151",  # Order Clerks
        "43-4141",  # New Accounts Clerks
        "43-3071",  # Tellers
    }
    assert len(customer_facing_clerks & set(nearest)) >= 5, nearest
    assert all(code.startswith("43-") for code in nearest[:5])


def test_registered_nurses_and_licensed_practical_nurses_are_near(db_conn):
    assert "29-2061" in top(db_conn, "29-1141", 20)
    assert top(db_conn, "29-2061", 1) == ["29-1141"]


def test_onet_related_is_marked_but_never_an_input(db_conn):
    mismatched = rows(
        db_conn,
        """SELECT count(*) FROM careers.occupation_similarity s
           LEFT JOIN marts.occupation_related r ON r.data_version = s.data_version AND r.soc_code = s.soc_code
                AND r.related_soc_code = s.similar_soc_code
           WHERE s.data_version = %s AND r.relatedness_tier IS DISTINCT FROM s.onet_related_tier""",
        (V,),
    )[0][0]
    assert mismatched == 0


def test_recall_of_onet_primary_short_related_occupations_among_the_top_20(db_conn, build):
    # Recomputed from the stored ranks and O*NET's list, independently of the asset's own count.
    n_found, n_related, n_socs = rows(
        db_conn,
        """SELECT count(*) FILTER (WHERE s.similarity_rank <= 20), count(*), count(DISTINCT r.soc_code)
           FROM marts.occupation_related r
           JOIN (SELECT DISTINCT soc_code FROM careers.occupation_similarity WHERE data_version = %s) socs
                USING (soc_code)
           LEFT JOIN careers.occupation_similarity s ON s.data_version = r.data_version
                AND s.soc_code = r.soc_code AND s.similar_soc_code = r.related_soc_code
           WHERE r.data_version = %s AND r.relatedness_tier = 'Primary-Short'
             AND r.related_soc_code IN (SELECT soc_code FROM careers.occupation_similarity WHERE data_version = %s)""",
        (V, V, V),
    )[0]
    recall = build["recall"]["combined"]
    assert (recall["n_found"], recall["n_related_pairs"], recall["n_socs"]) == (n_found, n_related, n_socs)
    assert recall["micro"] == pytest.approx(n_found / n_related)
    assert recall["micro"] >= RECALL_FLOOR
    # Every component alone is measured too, and each is far above chance (20 of ~800 SOCs: 2.5%).
    assert set(build["recall"]) == {"combined"} | (set(COMPONENTS) - ABSENT_COMPONENTS)
    assert all(r["micro"] > 0.2 for r in build["recall"].values()), json.dumps(build["recall"])


def test_a_release_with_work_activities_uses_them(built_database):
    """The shared 30.1 copy lacks Work Activities.txt; a release that has it gets a work_activities component.
    Simulated inside a rolled-back transaction: the SOC profiles gain work-activity rows (copies of the skill
    rows under another domain), and the component appears, computed exactly like the skills one."""
    with psycopg.connect(built_database) as conn, conn.transaction(force_rollback=True):
        socs = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT soc_code FROM marts.occupation_master WHERE data_version = %s ORDER BY 1",
                (V,),
            )
        ]
        before = {c.name for c in compute_components(conn, V, socs)}
        conn.execute(
            """INSERT INTO marts.soc_descriptor_profile
                   (data_version, soc_code, domain, element_id, element_name, importance, level, n_onet_occupations)
               SELECT data_version, soc_code, 'work_activity', 'wa.' || element_id, element_name, importance,
                      level, n_onet_occupations
               FROM marts.soc_descriptor_profile WHERE data_version = %s AND domain = 'skill'""",
            (V,),
        )
        components = {c.name: c for c in compute_components(conn, V, socs)}
    assert "work_activities" not in before and set(components) == before | {"work_activities"}
    assert np.array_equal(components["work_activities"].matrix, components["skills"].matrix, equal_nan=True)
