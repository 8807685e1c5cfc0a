"""Batch mode through the SDKs' batch APIs (OpenAI files + batches, Anthropic message batches) against the
fake API: half price, invalid replies re-asked in a next batch, and an interrupted wait collected later."""

from __future__ import annotations

import pytest

from occurisk_assets.scoring.runs import ScoringEnvironment, ScoringRequest, run_scoring
from tests.fakes.llm_server import Reply

from .conftest import LLM_MODELS, OPENAI_MODEL, fake_config

SAMPLE = 8


def test_batch_mode_scores_at_the_batch_price(conn, fake_api, llm_config, llm_settings):
    summaries = run_scoring(
        conn,
        ScoringRequest("30.1", models=LLM_MODELS, sample=SAMPLE, batch=True),
        ScoringEnvironment(config=llm_config, settings=llm_settings, track=False),
    )

    assert [(s.status, s.n_scored, s.n_calls) for s in summaries] == [("completed", SAMPLE, SAMPLE)] * 2
    assert (fake_api.batch_requests("openai"), fake_api.batch_requests("anthropic")) == (SAMPLE, SAMPLE)
    assert (fake_api.completions("openai"), fake_api.completions("anthropic")) == (0, 0)
    for s in summaries:
        model = llm_config.model(s.model)
        assert s.cost_estimate == pytest.approx(SAMPLE * model.cost_usd(200, 30) * model.batch_discount)
    assert conn.execute("SELECT count(*), bool_and(via_batch) FROM core.llm_call").fetchone() == (
        2 * SAMPLE,
        True,
    )
    assert conn.execute("SELECT count(*), bool_and(status = 'collected') FROM core.llm_batch").fetchone() == (
        2,
        True,
    )
    assert conn.execute("SELECT DISTINCT mode FROM core.model_run").fetchall() == [("batch",)]

    again = run_scoring(
        conn,
        ScoringRequest("30.1", models=LLM_MODELS, sample=SAMPLE, batch=True, new_run=True),
        ScoringEnvironment(config=llm_config, settings=llm_settings, track=False),
    )
    assert [(s.n_calls, s.n_cache_hits) for s in again] == [(0, SAMPLE)] * 2
    assert fake_api.batch_requests("openai") == SAMPLE


def test_invalid_batch_replies_go_into_the_next_batch(conn, fake_api, llm_config, llm_settings):
    fake_api.enqueue("openai", Reply.invalid_json(), Reply.server_error(500))

    (summary,) = run_scoring(
        conn,
        ScoringRequest("30.1", models=[OPENAI_MODEL], sample=SAMPLE, batch=True),
        ScoringEnvironment(config=llm_config, settings=llm_settings, track=False),
    )

    assert (summary.status, summary.n_scored, summary.n_failures) == ("completed", SAMPLE, 0)
    assert fake_api.batch_requests("openai") == SAMPLE + 2  # the second batch holds the two retried requests
    assert summary.n_calls == SAMPLE + 1  # the invalid reply was paid; the errored request was not
    assert conn.execute("SELECT count(*) FROM core.llm_batch").fetchone()[0] == 2


def test_an_interrupted_batch_wait_is_collected_not_paid_again(conn, fake_api, llm_config, llm_settings):
    def interrupt(seconds):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_scoring(
            conn,
            ScoringRequest("30.1", models=[OPENAI_MODEL], sample=SAMPLE, batch=True),
            ScoringEnvironment(config=llm_config, settings=llm_settings, sleep=interrupt, track=False),
        )

    run_id, status = conn.execute("SELECT run_id, status FROM core.model_run").fetchone()
    assert status == "interrupted"
    assert conn.execute("SELECT status, n_requests FROM core.llm_batch").fetchone() == ("submitted", SAMPLE)

    (summary,) = run_scoring(
        conn,
        ScoringRequest("30.1", models=[OPENAI_MODEL], sample=SAMPLE, batch=True),
        ScoringEnvironment(config=llm_config, settings=llm_settings, track=False),
    )

    assert (summary.run_id, summary.resumed, summary.status, summary.n_scored) == (
        run_id,
        True,
        "completed",
        SAMPLE,
    )
    assert fake_api.batch_requests("openai") == SAMPLE  # collected, never submitted again
    assert summary.n_calls == SAMPLE
    assert (
        conn.execute("SELECT count(*) FROM core.task_ai_score WHERE origin = 'call'").fetchone()[0] == SAMPLE
    )


def test_online_scoring_does_not_pay_for_requests_still_in_a_batch(conn, fake_api, tmp_path, llm_settings):
    fake_api.batch_polls_before_done = 100  # the batch stays in progress
    config = fake_config(tmp_path, fake_api)

    def interrupt(seconds):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_scoring(
            conn,
            ScoringRequest("30.1", models=[OPENAI_MODEL], sample=SAMPLE, batch=True),
            ScoringEnvironment(config=config, settings=llm_settings, sleep=interrupt, track=False),
        )
    (summary,) = run_scoring(
        conn,
        ScoringRequest("30.1", models=[OPENAI_MODEL], sample=SAMPLE),
        ScoringEnvironment(config=config, settings=llm_settings, track=False),
    )

    assert fake_api.completions("openai") == 0
    assert (summary.n_scored, summary.n_unscored) == (0, SAMPLE)
    params = conn.execute("SELECT params FROM core.model_run WHERE run_id = %s", [summary.run_id]).fetchone()[
        0
    ]
    assert params["unscored_reasons"]["waiting_for_batch"] == SAMPLE
