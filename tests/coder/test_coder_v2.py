"""Coder v2 and Korean input on the built 30.1 platform: calibrated confidences (ECE and a reliability table
in MLflow), the unsure flag, Korean titles coded, Korean search through the API and the search page, a
Korean job ad coded to the personal-care occupations with its duties matched to tasks, and the occupation a
person keeps stored as a label (codes, model version, input hash — no text)."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from occurisk_assets.coder import predict, registry
from occurisk_assets.coder.model import Prediction, is_unsure
from occurisk_assets.lib import roles
from tests.api.pages.forms import form_fields, post_form
from tests.built_platform import DATA_VERSION, platform_database
from tests.text.korean_queries import KOREAN_QUERIES

# Target of issue 23: ECE ≤ 0.05 on held-out titles the calibration was not fit on.
ECE_TARGET = 0.05
PERSONAL_CARE = {"31-1122", "31-1121", "31-1131", "39-9099"}
KOREAN_AD = {
    "title": "요양보호사 모집 (주간보호센터)",
    "description": (
        "햇살주간보호센터에서 어르신을 돌봐 주실 요양보호사를 모집합니다.\n"
        "- 어르신 식사 도움\n"
        "- 목욕과 옷 갈아입기 도움\n"
        "- 산책과 이동 보조\n"
        "- 요양보호사 자격증 필수, 주 5일 근무"
    ),
}


def p(code: str, confidence: float) -> Prediction:
    return Prediction(code, f"{code}.00", code, confidence)


def test_unsure_when_the_best_is_weak_or_the_best_two_are_close():
    assert is_unsure([p("43-3031", 0.25), p("43-3021", 0.05)])  # under 0.3
    assert is_unsure([p("43-3031", 0.55), p("43-3021", 0.50)])  # within 0.1
    assert not is_unsure([p("43-3031", 0.55), p("43-3021", 0.30)])
    assert is_unsure([])


@pytest.fixture(scope="module")
def built(built_database):
    with platform_database(built_database):
        yield built_database


def test_the_production_coder_is_calibrated_and_logged_to_mlflow(built):
    mlflow_client = registry.client()
    run = mlflow_client.get_run(registry.production_version(mlflow_client, DATA_VERSION).run_id)
    metrics = run.data.metrics
    print(f"\ncoder v2 held-out: { {k: round(v, 4) for k, v in metrics.items() if k.startswith('heldout')} }")
    assert metrics["heldout_ece"] <= ECE_TARGET and metrics["heldout_ece_n"] > 3000
    assert 0 < metrics["heldout_unsure_share"] < 1
    assert metrics["heldout_top1_when_sure"] > metrics["heldout_top1"] > metrics["heldout_top1_when_unsure"]
    # A title listed under several codes is right when the guess is any of them.
    assert metrics["heldout_top1_any_listed"] > metrics["heldout_top1"]
    assert metrics["heldout_top3_any_listed"] > metrics["heldout_top3"]
    table = json.loads(
        Path(mlflow_client.download_artifacts(run.info.run_id, "reliability.json")).read_text()
    )
    assert sum(row["n"] for row in table) == metrics["heldout_ece_n"]
    assert run.data.params["meaning"].startswith("max cosine")


def test_korean_titles_are_coded(built):
    texts = ["간호사", "요양보호사", "경리", "트럭 운전사", "택시 기사"]
    top1 = [preds[0].soc_code for preds in predict(texts, k=3, data_version=DATA_VERSION)]
    assert top1 == ["29-1141", "31-1122", "43-3031", "53-3032", "53-3054"]


@pytest.fixture(scope="module")
def api(built):
    with TestClient(create_app(roles.role_url(built, roles.API))) as client:
        yield client


def test_korean_search_finds_registered_nurses_and_the_40_queries(api, capsys):
    found = api.get("/api/v1/occupations", params={"search": "간호사"}).json()
    first = found["items"][0]
    assert (first["soc_code"], first["match"]["term"], first["match"]["kind"]) == (
        "29-1141",
        "간호사",
        "korean_name",
    )
    misses = []
    for query, expected in KOREAN_QUERIES:
        items = api.get("/api/v1/occupations", params={"search": query, "page_size": 3}).json()["items"]
        if not expected & {i["soc_code"] for i in items}:
            misses.append((query, [i["soc_code"] for i in items]))
    share = 1 - len(misses) / len(KOREAN_QUERIES)
    with capsys.disabled():
        print(f"\nKorean search (API): n={len(KOREAN_QUERIES)} top3={share:.3f} misses={misses}")
    assert share >= 0.95


@pytest.fixture(scope="module")
def site(built):
    with TestClient(create_app(built)) as client:
        yield client


def test_korean_search_page_and_job_finder(site):
    page = site.get("/search", params={"q": "트럭 운전사", "lang": "ko"})
    assert page.status_code == 200 and "/occupation/53-3032" in page.text and "트럭 운전사" in page.text
    finder = site.get("/my-work/jobs/find", params={"q": "경리", "lang": "ko"})
    assert finder.status_code == 200 and 'value="43-3031"' in finder.text


def test_a_korean_ad_is_coded_to_personal_care_with_its_duties_matched(api, site):
    coded = api.post("/api/v1/postings/code", json=KOREAN_AD).json()
    assert coded["language"] == "ko" and coded["occupations"], coded
    assert coded["occupations"][0]["soc_code"] in PERSONAL_CARE
    duties = {d["duty"]: d for d in coded["duties"]}
    assert len(duties) == 4
    # Matched by meaning to the personal-care tasks (Korean duty, English task); the licence line to none.
    assert any(w in duties["어르신 식사 도움"]["task_statement"].lower() for w in ("meal", "eat", "feed"))
    assert "bathe" in duties["목욕과 옷 갈아입기 도움"]["task_statement"].lower()
    assert duties["요양보호사 자격증 필수, 주 5일 근무"]["task_id"] is None
    matched = [d for d in coded["duties"] if d["task_id"] is not None]
    assert all(d["onetsoc_code"][:7] in {o["soc_code"] for o in coded["occupations"]} for d in matched)
    page = post_form(site, "/check-job-ad", "/check-job-ad", KOREAN_AD)
    assert page.status_code == 200 and "/occupation/" + coded["occupations"][0]["soc_code"] in page.text
    assert "English" not in page.text.split("<h1")[1].split("</section>")[0]


def test_the_kept_occupation_is_stored_as_a_label_without_text(site, built):
    resume = "Bookkeeper, Sunrise Dental, 2001 - 2023\n- Kept the books and paid suppliers"
    found = post_form(site, "/my-work/resume", "/my-work/resume", {"text": resume, "action": "read"})
    assert found.status_code == 200, found.text[:300]
    sent = form_fields(found.text)
    offered = sent["offered-soc-0"]
    corrected = "43-3031" if offered[0] != "43-3031" else "13-2011"
    with psycopg.connect(built) as conn:
        before = conn.execute("SELECT count(*) FROM assistant.coder_label").fetchone()[0]
        saved = site.post(
            "/my-work/resume/confirm", data=sent | {"soc-0": [corrected]}, follow_redirects=False
        )
        assert saved.status_code == 303, saved.text[:300]
        rows = conn.execute(
            "SELECT * FROM assistant.coder_label ORDER BY id DESC LIMIT %s",
            [conn.execute("SELECT count(*) FROM assistant.coder_label").fetchone()[0] - before],
        ).fetchall()
        columns = [c.name for c in conn.execute("SELECT * FROM assistant.coder_label LIMIT 0").description]
    assert len(rows) == 1
    label = dict(zip(columns, rows[0], strict=True))
    assert label["offered_codes"] == offered and label["chosen_code"] == corrected
    assert label["outcome"] == ("picked_other_offered" if corrected in offered else "corrected")
    assert label["model_version"] == f"{registry.registered_name(DATA_VERSION)}/1"
    assert len(label["input_sha256"]) == 16
    assert not any("Bookkeeper" in str(v) or "Sunrise" in str(v) for v in label.values())
