"""LLM scoring runs against the fake API on real 30.1 tasks: the cache proven by counting HTTP requests,
failures kept out of the scores, the budget cap, crash-resume, fatal errors."""

from __future__ import annotations

import pytest

from occurisk_assets.scoring.calling import max_call_cost_usd
from occurisk_assets.scoring.catalog import select_tasks
from occurisk_assets.scoring.prompt import load_prompt
from occurisk_assets.scoring.runs import ScoringEnvironment, ScoringRequest, run_scoring
from tests.fakes.llm_server import Reply, default_score

from .conftest import ANTHROPIC_MODEL, LLM_MODELS, OPENAI_MODEL, add_release, fake_config

SAMPLE = 12


def _requests(fake_api) -> tuple[int, int]:
    return fake_api.completions("openai"), fake_api.completions("anthropic")


def test_each_question_is_paid_once_across_runs_and_releases(conn, fake_api, llm_config, llm_settings):
    first = run_scoring(
        conn,
        ScoringRequest("30.1", models=LLM_MODELS, sample=SAMPLE),
        ScoringEnvironment(config=llm_config, settings=llm_settings, track=False),
    )

    assert [(s.model, s.status, s.n_scored, s.n_calls, s.n_cache_hits) for s in first] == [
        (OPENAI_MODEL, "completed", SAMPLE, SAMPLE, 0),
        (ANTHROPIC_MODEL, "completed", SAMPLE, SAMPLE, 0),
    ]
    assert _requests(fake_api) == (SAMPLE, SAMPLE)
    stored = conn.execute(
        "SELECT s.model, s.score, l.prompt_text FROM core.task_ai_score s JOIN core.llm_call l USING (call_key)"
    ).fetchall()
    assert len(stored) == 2 * SAMPLE
    for model, score, prompt_text in stored:
        api = "openai" if model == OPENAI_MODEL else "anthropic"
        assert float(score) == default_score(api, prompt_text.split("[user]\n", 1)[1])

    # The same command again: the identical completed runs are reused, nothing is asked.
    second = run_scoring(
        conn,
        ScoringRequest("30.1", models=LLM_MODELS, sample=SAMPLE),
        ScoringEnvironment(config=llm_config, settings=llm_settings, track=False),
    )
    assert [s.run_id for s in second] == [s.run_id for s in first] and all(s.reused for s in second)
    assert _requests(fake_api) == (SAMPLE, SAMPLE)

    # Forced new runs: every score comes from core.llm_call.
    third = run_scoring(
        conn,
        ScoringRequest("30.1", models=LLM_MODELS, sample=SAMPLE, new_run=True),
        ScoringEnvironment(config=llm_config, settings=llm_settings, track=False),
    )
    assert [(s.n_scored, s.n_calls, s.n_cache_hits) for s in third] == [(SAMPLE, 0, SAMPLE)] * 2
    assert _requests(fake_api) == (SAMPLE, SAMPLE)

    # A new release where exactly one of these tasks changed its text: one call per model.
    changed = select_tasks(conn, "30.1", sample=SAMPLE)[3]
    add_release(
        conn, "30.1", "30.2-test", {changed.task_id: changed.task_statement + " Document the results."}
    )
    fourth = run_scoring(
        conn,
        ScoringRequest("30.2-test", models=LLM_MODELS, sample=SAMPLE),
        ScoringEnvironment(config=llm_config, settings=llm_settings, track=False),
    )
    assert [(s.data_version, s.n_scored, s.n_calls, s.n_cache_hits) for s in fourth] == [
        ("30.2-test", SAMPLE, 1, SAMPLE - 1)
    ] * 2
    assert _requests(fake_api) == (SAMPLE + 1, SAMPLE + 1)
    fresh = conn.execute(
        "SELECT task_id, origin FROM core.task_ai_score WHERE data_version = '30.2-test' AND origin = 'call'"
    ).fetchall()
    assert fresh == [(changed.task_id, "call")] * 2
    assert conn.execute("SELECT count(*) FROM core.llm_call").fetchone()[0] == 2 * (SAMPLE + 1)


def test_invalid_output_becomes_a_failure_never_a_score_and_is_retried_on_resume(
    conn, fake_api, tmp_path, llm_settings
):
    config = fake_config(
        tmp_path, fake_api, concurrency=1
    )  # one at a time: the first task gets the bad replies
    fake_api.enqueue("openai", *[Reply.out_of_range(1.4)] * config.retry.max_output_attempts)
    first_task = select_tasks(conn, "30.1", sample=SAMPLE)[0]

    (summary,) = run_scoring(
        conn,
        ScoringRequest("30.1", models=[OPENAI_MODEL], sample=SAMPLE),
        ScoringEnvironment(config=config, settings=llm_settings, track=False),
    )

    assert (summary.status, summary.n_scored, summary.n_failures, summary.n_unscored) == (
        "completed",
        SAMPLE - 1,
        1,
        1,
    )
    assert summary.n_calls == SAMPLE - 1 + config.retry.max_output_attempts
    failure = conn.execute(
        "SELECT task_id, error_kind, attempts, paid_attempts, message FROM core.scoring_failure"
    ).fetchone()
    assert failure[:4] == (first_task.task_id, "out_of_range", 3, 3) and "1.4 is outside 0..1" in failure[4]
    assert (
        conn.execute(
            "SELECT count(*) FROM core.task_ai_score WHERE task_id = %s", [first_task.task_id]
        ).fetchone()[0]
        == 0
    )
    params = conn.execute("SELECT params FROM core.model_run WHERE run_id = %s", [summary.run_id]).fetchone()[
        0
    ]
    assert params["unscored"] == {"count": 1, "task_ids": [first_task.task_id]}
    assert params["unscored_reasons"] == {"failed": 1, "waiting_for_batch": 0, "not_reached": 0}

    (again,) = run_scoring(
        conn,
        ScoringRequest("30.1", models=[OPENAI_MODEL], sample=SAMPLE),
        ScoringEnvironment(config=config, settings=llm_settings, track=False),
    )

    assert (again.run_id, again.resumed, again.status) == (summary.run_id, True, "completed")
    assert (again.n_scored, again.n_failures, again.n_unscored) == (SAMPLE, 0, 0)
    assert fake_api.completions("openai") == SAMPLE - 1 + 3 + 1


def test_a_run_whose_every_call_failed_is_failed_not_completed(conn, fake_api, tmp_path, llm_settings):
    config = fake_config(tmp_path, fake_api, concurrency=1)
    fake_api.enqueue("openai", *[Reply.out_of_range(1.4)] * (2 * config.retry.max_output_attempts))

    (summary,) = run_scoring(
        conn,
        ScoringRequest("30.1", models=[OPENAI_MODEL], sample=2),
        ScoringEnvironment(config=config, settings=llm_settings, track=False),
    )

    assert (summary.status, summary.n_scored, summary.n_failures, summary.n_unscored) == ("failed", 0, 2, 2)
    error = conn.execute("SELECT error FROM core.model_run WHERE run_id = %s", [summary.run_id]).fetchone()[0]
    assert error == "every call failed: 2 tasks unscored (see core.scoring_failure)"


def test_the_budget_stops_the_run_before_it_is_exceeded_and_a_resume_finishes_it(
    conn, fake_api, tmp_path, llm_settings
):
    # $1 per 1000 tokens: a reply of the fake server (200 + 30 tokens) costs $0.23.
    config = fake_config(
        tmp_path, fake_api, concurrency=1, input_usd_per_mtok=1000.0, output_usd_per_mtok=1000.0
    )
    model = config.model(OPENAI_MODEL)
    budget = 3.0
    prompt = load_prompt(config.prompt_version)
    expected_calls, spent = 0, 0.0
    for task in select_tasks(conn, "30.1", sample=SAMPLE):  # a call starts only if its worst case still fits
        rendered = prompt.render(occupation_title=task.occupation_title, task_statement=task.task_statement)
        if spent + max_call_cost_usd(model, rendered) > budget:
            break
        spent += 0.23
        expected_calls += 1
    assert 0 < expected_calls < SAMPLE

    (stopped,) = run_scoring(
        conn,
        ScoringRequest("30.1", models=[OPENAI_MODEL], sample=SAMPLE, budget_usd=budget),
        ScoringEnvironment(config=config, settings=llm_settings, track=False),
    )

    assert (stopped.status, stopped.n_calls, stopped.n_scored) == (
        "stopped_budget",
        expected_calls,
        expected_calls,
    )
    assert stopped.cost_estimate == pytest.approx(0.23 * expected_calls) and stopped.cost_estimate <= budget
    assert fake_api.completions("openai") == expected_calls
    params = conn.execute(
        "SELECT params, budget_usd FROM core.model_run WHERE run_id = %s", [stopped.run_id]
    ).fetchone()
    assert (
        params[0]["unscored_reasons"]["not_reached"] == SAMPLE - expected_calls and float(params[1]) == budget
    )

    (resumed,) = run_scoring(
        conn,
        ScoringRequest("30.1", models=[OPENAI_MODEL], sample=SAMPLE, budget_usd=100.0),
        ScoringEnvironment(config=config, settings=llm_settings, track=False),
    )

    assert (resumed.run_id, resumed.resumed, resumed.status, resumed.n_scored) == (
        stopped.run_id,
        True,
        "completed",
        SAMPLE,
    )
    assert resumed.n_calls == SAMPLE and fake_api.completions("openai") == SAMPLE
    assert resumed.cost_estimate == pytest.approx(0.23 * SAMPLE)


def test_a_budget_of_zero_pays_nothing(conn, fake_api, llm_config, llm_settings):
    summaries = run_scoring(
        conn,
        ScoringRequest("30.1", models=LLM_MODELS, sample=3, budget_usd=0.0),
        ScoringEnvironment(config=llm_config, settings=llm_settings, track=False),
    )
    assert [(s.status, s.n_calls, s.n_scored) for s in summaries] == [("stopped_budget", 0, 0)] * 2
    assert _requests(fake_api) == (0, 0)


def test_a_crash_mid_run_resumes_without_paying_any_call_twice(conn, fake_api, llm_config, llm_settings):
    scored = []

    def crash_after_five(event):
        scored.append(event)
        if len(scored) == 5:
            raise RuntimeError("simulated crash")

    with pytest.raises(RuntimeError, match="simulated crash"):
        run_scoring(
            conn,
            ScoringRequest("30.1", models=LLM_MODELS, sample=SAMPLE),
            ScoringEnvironment(
                config=llm_config, settings=llm_settings, progress=crash_after_five, track=False
            ),
        )

    rows = conn.execute(
        "SELECT run_id, status, error, n_scored FROM core.model_run ORDER BY run_id"
    ).fetchall()
    assert [r[1] for r in rows] == ["interrupted", "interrupted"]
    assert all("simulated crash" in r[2] for r in rows)
    # Every request answered so far is in the cache: calls in flight at the crash were waited for and recorded.
    paid_so_far = sum(_requests(fake_api))
    assert 5 <= paid_so_far < 2 * SAMPLE
    assert conn.execute("SELECT count(*) FROM core.llm_call").fetchone()[0] == paid_so_far
    assert sum(r[3] for r in rows) == paid_so_far

    summaries = run_scoring(
        conn,
        ScoringRequest("30.1", models=LLM_MODELS, sample=SAMPLE),
        ScoringEnvironment(config=llm_config, settings=llm_settings, track=False),
    )

    assert [s.run_id for s in summaries] == [r[0] for r in rows]
    assert [(s.resumed, s.status, s.n_scored, s.n_calls) for s in summaries] == [
        (True, "completed", SAMPLE, SAMPLE)
    ] * 2
    assert _requests(fake_api) == (SAMPLE, SAMPLE)


def test_a_bad_key_fails_that_models_run_only(conn, fake_api, llm_config, llm_settings):
    fake_api.enqueue("anthropic", *[Reply.error(401)] * 8)

    openai_run, anthropic_run = run_scoring(
        conn,
        ScoringRequest("30.1", models=LLM_MODELS, sample=4),
        ScoringEnvironment(config=llm_config, settings=llm_settings, track=False),
    )

    assert (openai_run.status, openai_run.n_scored) == ("completed", 4)
    assert (anthropic_run.status, anthropic_run.n_scored, anthropic_run.n_failures) == ("failed", 0, 0)
    error = conn.execute(
        "SELECT error FROM core.model_run WHERE run_id = %s", [anthropic_run.run_id]
    ).fetchone()[0]
    assert "HTTP 401" in error
    assert fake_api.completions("anthropic") <= anthropic_run.n_tasks
