"""Coding postings on the built 30.1 platform (exposure from its scores, duties matched to its task
statements), and the postings API.

The predictions come from `FixedPredictions`, a stand-in with the interface of the career assistant's coder
(occurisk_assets.coder) that returns, for each known ad title, the codes written below: these tests
check what the postings domain does with a coder's answer, not the coder (see test_coder_accuracy.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from occurisk_assets.postings.cleaning import clean_postings
from occurisk_assets.postings.coding import code_postings
from occurisk_assets.postings.importing import import_file
from tests.built_platform import DATA_VERSION, platform_database
from tests.postings.board import KOREAN, POSTINGS, job_posting
from tests.postings.test_done_when import empty_postings_store


@dataclass(frozen=True)
class Prediction:
    soc_code: str
    onetsoc_code: str
    title: str
    confidence: float


FIXED = {  # title → the codes a coder would answer (the right one first, except for the teacher: low confidence)
    "Registered Nurse - Medical/Surgical Unit": [("29-1141", 0.81), ("29-2061", 0.07), ("31-1131", 0.03)],
    "Backend Software Developer (Python)": [("15-1252", 0.74), ("15-1253", 0.12), ("15-1254", 0.05)],
    "CDL-A Truck Driver - Regional Routes": [("53-3032", 0.9), ("53-3033", 0.05), ("53-7062", 0.01)],
    "Staff Accountant": [("13-2011", 0.66), ("43-3031", 0.2), ("13-2082", 0.04)],
    "Journeyman Electrician - Commercial": [("47-2111", 0.88), ("49-2098", 0.04), ("47-3013", 0.03)],
    "Customer Service Representative (Remote)": [("43-4051", 0.7), ("41-3021", 0.1), ("43-9061", 0.05)],
    "Elementary School Teacher - Grade 3": [("25-2021", 0.31), ("25-2022", 0.29), ("25-3031", 0.1)],
    "Dental Hygienist": [("29-1292", 0.93), ("31-9091", 0.04), ("29-1021", 0.01)],
    "물류센터 재고관리 사원": [
        ("43-5071", 0.62),
        ("53-7065", 0.15),
        ("43-5061", 0.05),
    ],  # Korean is coded too
}


class FixedPredictions:
    model_version = "fixed-predictions/1"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def predict(self, texts: list[str], k: int = 3) -> list[list[Prediction]]:
        self.calls.append(texts)
        return [
            [Prediction(soc, f"{soc}.00", "", conf) for soc, conf in FIXED[text.split("\n")[0]][:k]]
            for text in texts
        ]


@pytest.fixture(scope="module")
def coded(built_database, tmp_path_factory):
    """The board's postings (and the Korean one) imported into the built platform's empty postings store,
    cleaned and coded; the store is emptied again afterwards. Every module that uses it gets the same store,
    whichever module ran before (each module that imports this fixture runs it again)."""
    path = tmp_path_factory.mktemp("postings") / "board.jsonl"
    lines = [json.dumps(job_posting(p, "https://jobs.example.org")) for p in POSTINGS] + [json.dumps(KOREAN)]
    path.write_text("\n".join(lines) + "\n")
    coder = FixedPredictions()
    with platform_database(built_database), psycopg.connect(built_database, autocommit=True) as conn:
        empty_postings_store(conn)
        import_file(conn, path)
        clean_postings(conn)
        counts = code_postings(conn, coder)
        again = code_postings(conn, coder)
        yield conn, counts, again, coder
        empty_postings_store(conn)


def test_each_posting_gets_its_top3_exposure_and_matched_duties(coded, db_conn):
    conn, counts, again, coder = coded
    assert counts == {"coded": 8, "low_confidence": 1}
    assert again == {} and len(coder.calls) == 1  # coded once, in one batch
    rows = conn.execute(
        """SELECT title, soc_code, confidence, low_confidence, ai_score, coding_status FROM postings.posting
           WHERE source = 'file' ORDER BY posting_id"""
    ).fetchall()
    scores = dict(
        db_conn.execute(
            "SELECT soc_code, mean::float8 FROM marts.occupation_ai_score WHERE data_version = %s",
            (DATA_VERSION,),
        ).fetchall()
    )
    for title, soc, confidence, low, ai_score, status in rows:
        assert (soc, confidence) == FIXED[title][0] and status == "coded"
        assert ai_score == pytest.approx(scores[soc])  # exposure = the occupation's score
        assert low == (confidence < 0.4)
    assert rows[-1][0] == KOREAN["title"] and rows[-1][1] == "43-5071"  # the Korean ad: coded like the others
    (n_occupations,) = conn.execute("SELECT count(*) FROM postings.posting_occupation").fetchone()
    assert n_occupations == 3 * (len(POSTINGS) + 1)


def test_duties_match_their_nearest_task_statement(coded, db_conn):
    conn, *_ = coded
    duties = conn.execute(
        """SELECT d.duty, d.task_id, d.task_statement, d.onetsoc_code, d.similarity, d.ai_score
           FROM postings.posting_duty d JOIN postings.posting p USING (posting_id)
           WHERE p.title = 'Dental Hygienist' ORDER BY duty_no"""
    ).fetchall()
    assert [d[0] for d in duties] == next(p["duties"] for p in POSTINGS if p["title"] == "Dental Hygienist")
    # "Expose and develop x-ray film" is word for word an O*NET task of Dental Hygienists (29-1292.00).
    xray = duties[2]
    assert xray[2] == "Expose and develop x-ray film." and xray[3] == "29-1292.00"
    assert xray[4] > 0.9
    (score,) = db_conn.execute(
        "SELECT mean::float8 FROM marts.task_ai_ensemble WHERE data_version = %s AND task_id = %s",
        (DATA_VERSION, xray[1]),
    ).fetchone()
    assert xray[5] == pytest.approx(score)
    assert all(d[4] > 0.2 for d in duties)


@pytest.fixture(scope="module")
def client(coded, built_database):
    with TestClient(create_app(built_database)) as client:
        yield client


def test_api_lists_postings_with_occupation_and_exposure(client, coded):
    body = client.get("/api/v1/postings", params={"page_size": 5}).json()
    assert body["pagination"] == {"total": len(POSTINGS) + 1, "page": 1, "page_size": 5, "pages": 2}
    assert len(body["items"]) == 5
    nurse = client.get("/api/v1/postings", params={"q": "nurse medications"}).json()
    [item] = nurse["items"]
    assert item["title"] == "Registered Nurse - Medical/Surgical Unit"
    assert item["occupation"]["soc_code"] == "29-1141" and item["occupation"]["confidence"] == 0.81
    assert item["occupation"]["title"] == "Registered Nurses"
    assert item["ai_score"] == pytest.approx(item["occupation"]["ai_score"])
    teachers = client.get("/api/v1/postings", params={"soc": "25-2021"}).json()["items"]
    assert [t["low_confidence"] for t in teachers] == [True]
    assert client.get("/api/v1/postings", params={"soc": "25-202"}).status_code == 422


def test_api_posting_detail_and_missing_ids(client, coded):
    conn, *_ = coded
    (posting_id,) = conn.execute(
        "SELECT posting_id FROM postings.posting WHERE title = 'Staff Accountant'"
    ).fetchone()
    body = client.get(f"/api/v1/postings/{posting_id}").json()
    assert [o["soc_code"] for o in body["occupations"]] == ["13-2011", "43-3031", "13-2082"]
    assert len(body["duties"]) == 4 and body["duties"][0]["task_statement"]
    assert body["description"].startswith("Our finance team of six")
    assert body["base_salary"] == {"currency": "USD", "min": 62000, "max": 74000, "unit": "YEAR"}
    assert client.get("/api/v1/postings/999999999").status_code == 404
    assert client.get("/api/v1/postings/0").status_code == 422


def test_code_endpoint_names_the_missing_field(client):
    response = client.post("/api/v1/postings/code", json={"title": "Cook"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "description"]
    assert client.post("/api/v1/postings/code", json={"title": "", "description": "x"}).status_code == 422


def test_matching_ranks_postings_for_a_person_with_reasons(coded):
    from occurisk_assets.postings.matching import Person, rank_postings

    conn, *_ = coded
    person = Person(
        soc_codes=["29-2061"],  # a licensed practical nurse
        duties=[
            "Administered medications to patients and watched for reactions or side effects",
            "Recorded patients' symptoms and vital signs in the electronic health record",
        ],
    )
    matches = rank_postings(conn, person, DATA_VERSION, limit=5)
    assert len(matches) == 5
    assert matches[0].title == "Registered Nurse - Medical/Surgical Unit"
    assert [m.match_score for m in matches] == sorted((m.match_score for m in matches), reverse=True)
    kinds = {r.kind for r in matches[0].reasons}
    assert {"matched_requirement", "exposure"} <= kinds
    # The strongest match leads: the ad's second duty is the person's first almost word for word, while
    # its first duty ("Monitor, record, and report symptoms…") is only paraphrased by their second.
    requirements = [r for r in matches[0].reasons if r.kind == "matched_requirement"]
    assert "Administer medications to patients" in requirements[0].text
    similarities = [r.details["similarity"] for r in requirements]
    assert similarities == sorted(similarities, reverse=True)
    assert matches[0].text_similarity > max(m.text_similarity for m in matches[1:])
    assert not any(
        "probab" in r.text.lower() or "chance" in r.text.lower() for m in matches for r in m.reasons
    )
