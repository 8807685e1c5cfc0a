import pytest

LLM_MODEL = "openai:gpt-4.1-mini"  # scored a few tasks in the fixture, through a fake OpenAI server
PUBLISHED_MODELS = {"published:gpt4_exposure", "published:human_exposure"}


def test_task_detail_with_scores_by_model_and_run(client, db_conn):
    response = client.get("/api/v1/tasks/8823")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["data_version"] == "30.1"
    assert body["statement"] == (
        "Direct or coordinate an organization's financial or budget activities to fund "
        "operations, maximize investments, or increase efficiency."
    )
    assert body["task_type"] == "Core"
    [occupation] = body["occupations"]
    weight = db_conn.execute(
        "SELECT weight FROM marts.occupation_task_weight WHERE data_version = '30.1' AND task_id = 8823"
    ).fetchone()[0]
    assert occupation == {
        "soc_code": "11-1011",
        "soc_title": "Chief Executives",
        "onetsoc_code": "11-1011.00",
        "title": "Chief Executives",
        "weight": pytest.approx(weight, abs=5e-5),  # served to 4 decimals
        "weight_method": occupation["weight_method"],
    }
    expected = db_conn.execute(
        "SELECT model, run_id, score FROM core.task_ai_score WHERE data_version = '30.1' AND task_id = 8823 "
        "ORDER BY model, run_id"
    ).fetchall()
    assert sorted((s["model"], s["run_id"], s["score"]) for s in body["scores"]) == [
        (m, r, float(s)) for m, r, s in expected
    ]
    current = [s["score"] for s in body["scores"] if s["is_current"]]
    assert len(current) == body["ensemble"]["n_models"] >= 2
    assert body["ensemble"]["mean"] == pytest.approx(sum(current) / len(current), abs=1e-4)
    assert all(s["model_version"] and s["prompt_version"] for s in body["scores"])


def test_unknown_task_is_a_404(client):
    response = client.get("/api/v1/tasks/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "no task 999999 in O*NET 30.1"}


def test_an_llm_rationale_is_shown_with_its_score_and_in_the_ensemble(client, db_conn):
    task_id, score = db_conn.execute(
        "SELECT task_id, score FROM core.task_ai_score WHERE data_version = '30.1' AND model = %s "
        "ORDER BY task_id LIMIT 1",
        (LLM_MODEL,),
    ).fetchone()
    body = client.get(f"/api/v1/tasks/{task_id}").json()
    by_model = {s["model"]: s for s in body["scores"]}
    assert set(by_model) == PUBLISHED_MODELS | {LLM_MODEL}
    llm = by_model[LLM_MODEL]
    assert (llm["score"], llm["rationale"], llm["is_current"]) == (
        float(score),
        "fake openai rationale",
        True,
    )
    assert llm["model_version"] == "gpt-4.1-mini-2025-04-14" and llm["prompt_version"] == "task-exposure-v1"
    assert all(by_model[m]["rationale"] is None for m in PUBLISHED_MODELS)
    assert body["ensemble"]["n_models"] == 3
    assert body["ensemble"]["mean"] == pytest.approx(sum(s["score"] for s in body["scores"]) / 3, abs=1e-4)

    soc_code = body["occupations"][0]["soc_code"]
    detail = client.get(f"/api/v1/occupations/{soc_code}", params={"tasks": 100}).json()
    [task] = [t for t in detail["top_tasks"] if t["task_id"] == task_id]
    assert {s["model"]: s["rationale"] for s in task["model_scores"]}[LLM_MODEL] == "fake openai rationale"
    assert LLM_MODEL in {m["model"] for m in detail["model_scores"]}
