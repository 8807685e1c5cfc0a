"""Profiles through the API, checked against the database: create, read, replace, validation that saves
nothing, personal exposure computed from the tables, transitions, deletion of every row, retention."""

from __future__ import annotations

import psycopg
import pytest

from occurisk_assets.defs.assistant.jobs import profile_retention_job
from occurisk_assets.lib import roles
from tests.assistant.conftest import SOC
from tests.built_platform import DATA_VERSION, platform_database
from tests.resources import resources_for_tests

API = "/api/v1"


def _profile_tables(db_conn) -> list[str]:
    """The assistant's tables that hang off a profile (every one the migrations made)."""
    rows = db_conn.execute(
        "SELECT table_name FROM information_schema.columns "
        "WHERE table_schema = 'assistant' AND column_name = 'profile_id' ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]


def _rows_of(db_conn, profile_id: str) -> dict[str, int]:
    return {
        t: db_conn.execute(
            f"SELECT count(*) FROM assistant.{t} WHERE profile_id = %s", [profile_id]
        ).fetchone()[0]
        for t in _profile_tables(db_conn)
    } | {
        "profile": db_conn.execute(
            "SELECT count(*) FROM assistant.profile WHERE id = %s", [profile_id]
        ).fetchone()[0]
    }


def _count(db_conn) -> int:
    return db_conn.execute("SELECT count(*) FROM assistant.profile").fetchone()[0]


def test_create_read_replace(assistant_client, history, csr_tasks, db_conn):
    created = assistant_client.post(f"{API}/profiles", json=history)
    assert created.status_code == 201, created.text
    profile = created.json()
    assert len(profile["id"]) == 32 and profile["data_version"] == DATA_VERSION
    assert [j["employer"] for j in profile["jobs"]] == ["Acme Telecom", "Corner Market"]
    assert profile["jobs"][0]["task_ids"] == sorted(csr_tasks)
    assert _rows_of(db_conn, profile["id"]) == {
        "profile": 1,
        "job": 2,
        "job_task": 5,
        "document": 0,
        "llm_rewrite": 0,
        "posting_outcome": 0,
        "posting_outcome_change": 0,
    }
    assert assistant_client.get(f"{API}/profiles/{profile['id']}").json()["jobs"] == profile["jobs"]

    history["jobs"] = history["jobs"][:1]
    history["jobs"][0]["task_ids"] = csr_tasks[:2]
    replaced = assistant_client.put(f"{API}/profiles/{profile['id']}", json=history)
    assert replaced.status_code == 200 and len(replaced.json()["jobs"]) == 1
    assert _rows_of(db_conn, profile["id"])["job_task"] == 2


@pytest.mark.parametrize(
    ("change", "status", "names"),
    [
        (
            lambda h: h["jobs"][0]["task_ids"].append(999999),
            422,
            "jobs[0].task_ids: unknown task ids [999999]",
        ),
        (
            lambda h: h["jobs"][1]["task_ids"].append(h["jobs"][0]["task_ids"][0]),
            422,
            "are not tasks of 41-2011",
        ),
        (lambda h: h["jobs"][0].update(end_year=2999), 422, "end_year 2999 is in the future"),
        (lambda h: h["jobs"][0].update(start_year=2020, end_year=2010), 422, "before start_year"),
        (lambda h: h["jobs"][0].update(soc_code="99-9999"), 422, "no occupation 99-9999"),
        (lambda h: h["jobs"][0].update(soc_code="banana"), 422, "soc_code"),
    ],
)
def test_bad_input_is_a_4xx_naming_it_and_saves_nothing(
    assistant_client, history, db_conn, change, status, names
):
    before = _count(db_conn)
    change(history)
    response = assistant_client.post(f"{API}/profiles", json=history)
    assert response.status_code == status and names in response.text
    assert _count(db_conn) == before


def test_a_failed_replace_keeps_the_previous_history(assistant_client, history, db_conn):
    profile_id = assistant_client.post(f"{API}/profiles", json=history).json()["id"]
    history["jobs"][0]["task_ids"].append(999999)
    assert assistant_client.put(f"{API}/profiles/{profile_id}", json=history).status_code == 422
    assert _rows_of(db_conn, profile_id)["job_task"] == 5


def test_unknown_and_malformed_ids_are_404(assistant_client):
    assert assistant_client.get(f"{API}/profiles/{'x' * 32}").status_code == 404
    assert assistant_client.get(f"{API}/profiles/short").status_code == 422
    assert assistant_client.get(f"{API}/profiles").status_code == 405  # no listing


def test_personal_exposure_from_the_tables(assistant_client, history, csr_tasks, db_conn):
    profile_id = assistant_client.post(f"{API}/profiles", json=history).json()["id"]
    exposure = assistant_client.get(f"{API}/profiles/{profile_id}/exposure").json()
    rows = db_conn.execute(
        "SELECT w.weight, e.mean FROM marts.occupation_task_weight w JOIN marts.task_ai_ensemble e "
        "USING (data_version, task_id) WHERE data_version = %s AND task_id = ANY(%s)",
        [DATA_VERSION, csr_tasks],
    ).fetchall()
    expected = sum(float(w) * float(m) for w, m in rows) / sum(float(w) for w, _ in rows)
    # The cashier job has no ticked tasks: only the 26 years of the first job count.
    assert exposure["score"] == pytest.approx(expected, abs=1e-4)
    occupation = {
        soc: float(score)
        for soc, score in db_conn.execute(
            "SELECT soc_code, mean FROM marts.occupation_ai_score WHERE data_version = %s AND soc_code = ANY(%s)",
            [DATA_VERSION, [SOC, "41-2011"]],
        )
    }
    assert exposure["occupation_average"] == pytest.approx(
        (26 * occupation[SOC] + 5 * occupation["41-2011"]) / 31, abs=1e-4
    )
    assert exposure["jobs"][0]["years"] == 26 and exposure["jobs"][1]["own_duties_unscored"] == 1
    most, least = exposure["most_exposed"], exposure["least_exposed"]
    assert most[0]["score"] >= least[0]["score"] and {t["task_id"] for t in most} <= set(csr_tasks)
    assert all(r["model"] and 0 <= r["score"] <= 1 for r in most[0]["raters"]) and most[0]["raters"]
    # Like every answer of the API (tests/api/test_rounding.py): at most 4 decimals.
    shown = [exposure["score"], exposure["occupation_average"]]
    shown += [r["score"] for t in most + least for r in t["raters"]] + [t["score"] for t in most + least]
    assert all(round(x, 4) == x for x in shown)


def test_transitions_from_the_persons_tasks(assistant_client, history, db_conn):
    profile_id = assistant_client.post(f"{API}/profiles", json=history).json()["id"]
    body = assistant_client.get(f"{API}/profiles/{profile_id}/transitions").json()
    found = body["transitions"]
    assert body["method"] == "occupation_transitions" and found
    assert all(
        t["soc_code"] not in (SOC, "41-2011") and t["from_soc_code"] in (SOC, "41-2011") for t in found
    )
    # Every move is one the careers domain built from one of the person's occupations.
    for t in found:
        assert (
            db_conn.execute(
                "SELECT count(*) FROM marts.occupation_transitions WHERE data_version = %s AND soc_code = %s "
                "AND target_soc_code = %s",
                [DATA_VERSION, t["from_soc_code"], t["soc_code"]],
            ).fetchone()[0]
            == 1
        )
    shares = [t["carried_share"] for t in found]
    assert shares == sorted(shares, reverse=True) and 0 < shares[0] <= 1 and found[0]["carried_activities"]
    assert any(t["skill_gaps"] for t in found)


def test_delete_everything_removes_every_row(assistant_client, history, db_conn):
    profile_id = assistant_client.post(f"{API}/profiles", json=history).json()["id"]
    assistant_client.post(f"{API}/profiles/{profile_id}/resume", json={})
    assistant_client.post(
        f"{API}/profiles/{profile_id}/cover-letter",
        json={"posting": "We need experience with customer billing."},
    )
    assert _rows_of(db_conn, profile_id)["document"] == 2
    assert assistant_client.delete(f"{API}/profiles/{profile_id}").status_code == 204
    assert set(_rows_of(db_conn, profile_id).values()) == {0}
    assert assistant_client.get(f"{API}/profiles/{profile_id}").status_code == 404
    assert assistant_client.delete(f"{API}/profiles/{profile_id}").status_code == 404


def test_retention_job_deletes_profiles_not_opened_for_n_days(
    assistant_client, history, built_database, db_conn
):
    old = assistant_client.post(f"{API}/profiles", json=history).json()["id"]
    recent = assistant_client.post(f"{API}/profiles", json=history).json()["id"]
    db_conn.execute(
        "UPDATE assistant.profile SET last_opened_at = now() - interval '31 days' WHERE id = %s", [old]
    )
    with platform_database(built_database):
        result = profile_retention_job.execute_in_process(resources=resources_for_tests())
    assert result.success
    assert _rows_of(db_conn, old) == dict.fromkeys([*_profile_tables(db_conn), "profile"], 0)
    assert _rows_of(db_conn, recent)["job"] == 2
    # The event log reports a count, never a profile's content or id.
    messages = " ".join(str(e.message) for e in result.all_events)
    assert old not in messages and "Acme" not in messages


def test_only_the_assistant_role_writes_there_and_it_writes_nowhere_else(assistant_client, built_database):
    with psycopg.connect(built_database, options=f"-c role={roles.ASSISTANT}") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM marts.task_catalog")
        conn.rollback()
    # The read API's role reads the marts but not people's data.
    api_url = roles.role_url(built_database, roles.API)
    with psycopg.connect(api_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT count(*) FROM assistant.profile")
