"""A person's postings through the API, on the built 30.1 platform with the board's postings coded (the
`coded` fixture of test_coding_and_api): ranked for their profile with reasons (matched requirements,
matched O*NET tasks, the occupation link), no number presented as a hiring probability; the outcomes they
mark, stored in the assistant schema, shown in the list, and deleted with the profile (checked in the
database)."""

from __future__ import annotations

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from occurisk_assets.lib import roles
from tests.built_platform import DATA_VERSION, platform_database
from tests.postings.test_coding_and_api import coded  # noqa: F401  (the board's postings, coded)

API = "/api/v1"
CSR = "43-4051"
DUTY = "Answered billing complaints on the telephone and refunded money to customers"


@pytest.fixture(scope="module")
def client(coded, built_database):  # noqa: F811
    with platform_database(built_database), TestClient(create_app(built_database)) as client:
        yield client


@pytest.fixture
def profile_id(client, csr_posting) -> str:
    """A customer service worker who ticked those tasks and wrote one duty of their own."""
    _, tasks = csr_posting
    body = {
        "jobs": [
            {
                "soc_code": CSR,
                "title": "Customer service agent",
                "start_year": 2001,
                "task_ids": [t for t, _ in tasks],
                "duties": [DUTY],
            }
        ]
    }
    created = client.post(f"{API}/profiles", json=body)
    assert created.status_code == 201, created.text
    return created.json()["id"]


def test_postings_ranked_for_the_person_with_reasons(client, profile_id, csr_posting, db_conn):
    posting_id, tasks = csr_posting
    response = client.get(f"{API}/profiles/{profile_id}/postings", params={"page_size": 50})
    assert response.status_code == 200, response.text
    body = response.json()
    (n_coded,) = db_conn.execute(
        "SELECT count(*) FROM postings.posting WHERE status = 'accepted' AND coding_status = 'coded' "
        "AND data_version = %s",
        (DATA_VERSION,),
    ).fetchone()
    assert body["pagination"]["total"] == n_coded == len(body["items"])
    assert "not a probability of being hired" in body["note"]
    first = body["items"][0]
    assert first["posting_id"] == posting_id
    assert first["occupation"] == {
        "soc_code": CSR,
        "title": "Customer Service Representatives",
        "confidence": 0.7,
    }
    assert first["low_confidence"] is False
    scores = [i["match_score"] for i in body["items"]]
    assert scores == sorted(scores, reverse=True)
    parts = first["match_score_components"]
    expected = 0.5 * parts["text_similarity"] + 0.3 * parts["occupation_similarity"] + 0.2 * parts["safety"]
    assert first["match_score"] == pytest.approx(expected, abs=1e-3)
    assert parts["occupation_similarity"] == 1.0 and parts["safety"] == pytest.approx(
        1 - first["ai_score"], abs=1e-4
    )
    by_kind = {}
    for reason in first["reasons"]:
        by_kind.setdefault(reason["kind"], []).append(reason)
    assert sorted(r["task_id"] for r in by_kind["matched_task"]) == [t for t, _ in tasks]
    assert {r["task_statement"] for r in by_kind["matched_task"]} == {s for _, s in tasks}
    (duties,) = db_conn.execute(
        "SELECT duties FROM postings.posting WHERE posting_id = %s", (posting_id,)
    ).fetchone()
    yours = {DUTY, *(s for _, s in tasks)}
    assert by_kind["matched_requirement"]
    for reason in by_kind["matched_requirement"]:
        assert reason["requirement"] in duties and any(reason["yours"] in line for line in yours)
        assert reason["status"] in {"shown", "partly_shown"} and reason["similarity"] >= 0.2
    [occupation] = by_kind["occupation"]
    assert occupation["your_soc_code"] == CSR and "same occupation" in occupation["text"]
    assert first["outcome"] is None
    words = str(body["items"]).lower()
    assert "probab" not in words and "chance" not in words and "likelihood" not in words


def test_q_keeps_the_postings_matching_it_and_pages(client, profile_id):
    body = client.get(f"{API}/profiles/{profile_id}/postings", params={"q": "x-ray"}).json()
    assert [i["title"] for i in body["items"]] == ["Dental Hygienist"]
    page2 = client.get(f"{API}/profiles/{profile_id}/postings", params={"page": 2, "page_size": 3}).json()
    assert page2["pagination"]["page"] == 2 and len(page2["items"]) == 3


def test_unknown_profile_is_404(client, csr_posting):
    unknown = "x" * 32
    assert client.get(f"{API}/profiles/{unknown}/postings").status_code == 404
    put = client.put(
        f"{API}/profiles/{unknown}/postings/{csr_posting[0]}/outcome", json={"outcome": "applied"}
    )
    assert put.status_code == 404


def test_outcomes_are_kept_with_their_history_and_shown(client, profile_id, csr_posting, db_conn):
    posting_id, _ = csr_posting
    url = f"{API}/profiles/{profile_id}/postings/{posting_id}/outcome"
    assert client.put(url, json={"outcome": "applied"}).status_code == 200
    marked = client.put(url, json={"outcome": "interview"})
    assert marked.status_code == 200, marked.text
    body = marked.json()
    assert body["outcome"] == "interview"
    assert [h["outcome"] for h in body["history"]] == ["applied", "interview"]
    assert body["history"][0]["changed_at"] < body["history"][1]["changed_at"]
    stored = db_conn.execute(
        "SELECT outcome FROM assistant.posting_outcome WHERE profile_id = %s AND posting_id = %s",
        (profile_id, posting_id),
    ).fetchall()
    assert stored == [("interview",)]
    listed = client.get(f"{API}/profiles/{profile_id}/postings").json()["items"]
    shown = {i["posting_id"]: i["outcome"] for i in listed}
    assert shown[posting_id]["outcome"] == "interview"
    assert [o for pid, o in shown.items() if pid != posting_id] == [None] * (len(shown) - 1)


@pytest.mark.parametrize("value", ["hired", "", None, 3])
def test_an_outcome_that_is_not_one_of_the_four_is_422_naming_outcome(client, profile_id, csr_posting, value):
    url = f"{API}/profiles/{profile_id}/postings/{csr_posting[0]}/outcome"
    response = client.put(url, json={"outcome": value})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "outcome"]
    assert client.put(url, json={}).json()["detail"][0]["loc"] == ["body", "outcome"]


def test_unknown_posting_is_404_and_stores_nothing(client, profile_id, db_conn):
    response = client.put(
        f"{API}/profiles/{profile_id}/postings/999999999/outcome", json={"outcome": "offer"}
    )
    assert response.status_code == 404 and "posting_id" in response.json()["detail"]
    (n,) = db_conn.execute(
        "SELECT count(*) FROM assistant.posting_outcome_change WHERE profile_id = %s", (profile_id,)
    ).fetchone()
    assert n == 0


def test_deleting_the_profile_deletes_its_outcomes(client, profile_id, csr_posting, db_conn):
    url = f"{API}/profiles/{profile_id}/postings/{csr_posting[0]}/outcome"
    for outcome in ("applied", "rejected"):
        assert client.put(url, json={"outcome": outcome}).status_code == 200

    def counts() -> tuple[int, int]:
        return tuple(
            db_conn.execute(
                f"SELECT count(*) FROM assistant.{table} WHERE profile_id = %s", (profile_id,)
            ).fetchone()[0]
            for table in ("posting_outcome", "posting_outcome_change")
        )

    assert counts() == (1, 2)
    assert client.delete(f"{API}/profiles/{profile_id}").status_code == 204
    assert counts() == (0, 0)


def test_outcomes_are_reachable_only_through_the_assistant_role(db_conn, built_database):
    for table in ("assistant.posting_outcome", "assistant.posting_outcome_change"):
        (assistant, api, public) = db_conn.execute(
            "SELECT has_table_privilege(%s, %s, 'INSERT'), has_table_privilege(%s, %s, 'SELECT'), "
            "has_table_privilege('public', %s, 'SELECT')",
            (roles.ASSISTANT, table, roles.API, table, table),
        ).fetchone()
        assert (assistant, api, public) == (True, False, False)
    api_url = roles.role_url(built_database, roles.API)
    with psycopg.connect(api_url) as api, pytest.raises(psycopg.errors.InsufficientPrivilege):
        api.execute("SELECT count(*) FROM assistant.posting_outcome")
