"""Both providers through their official SDKs against the local fake API: every reply the retry loop must
handle, with the HTTP requests counted and the waits recorded."""

from __future__ import annotations

import pytest

from occurisk_assets.lib.llm_providers import build_provider
from occurisk_assets.lib.llm_providers.limits import BudgetGuard, RateLimiter
from occurisk_assets.scoring.calling import CallContext, call_with_retries, max_call_cost_usd
from occurisk_assets.scoring.prompt import load_prompt
from tests.fakes.llm_server import Reply, default_score

from .conftest import ANTHROPIC_MODEL, ANTHROPIC_TEST_KEY, OPENAI_MODEL, OPENAI_TEST_KEY

API_OF = {OPENAI_MODEL: "openai", ANTHROPIC_MODEL: "anthropic"}
KEY_OF = {OPENAI_MODEL: OPENAI_TEST_KEY, ANTHROPIC_MODEL: ANTHROPIC_TEST_KEY}
TASK = {
    "occupation_title": "Accountants and Auditors",
    "task_statement": "Prepare detailed reports on audit findings.",
}


@pytest.fixture(params=[OPENAI_MODEL, ANTHROPIC_MODEL])
def model_name(request) -> str:
    return request.param


@pytest.fixture
def call(llm_config, llm_settings, model_name):
    """call() -> (outcome, recorded sleeps, budget); the budget starts with the first attempt reserved."""
    model = llm_config.model(model_name)
    prompt = load_prompt(llm_config.prompt_version).render(**TASK)

    def run(budget_usd: float | None = None):
        sleeps: list[float] = []
        budget = BudgetGuard(budget_usd)
        reservation = max_call_cost_usd(model, prompt)
        assert budget.try_reserve(reservation)
        ctx = CallContext(
            provider=build_provider(model, llm_settings),
            limiter=RateLimiter(60_000, 10**9),
            retry=llm_config.retry,
            budget=budget,
            secrets=[OPENAI_TEST_KEY, ANTHROPIC_TEST_KEY],
            sleep=sleeps.append,
        )
        return call_with_retries(ctx, prompt, reservation), sleeps, budget

    run.prompt = prompt
    run.model = model
    return run


def _one_call_cost(model) -> float:
    return model.cost_usd(200, 30)  # the fake server's usage per reply


def test_success_uses_the_sdk_with_the_configured_key(call, fake_api, model_name):
    outcome, sleeps, budget = call()

    api = API_OF[model_name]
    assert outcome.output.score == default_score(api, call.prompt.user)
    assert outcome.output.rationale == f"fake {api} rationale"
    assert (outcome.http_attempts, outcome.paid_attempts, sleeps) == (1, 1, [])
    assert outcome.cost_usd == pytest.approx(_one_call_cost(call.model))
    assert (budget.spent_usd, budget.reserved_usd) == (pytest.approx(outcome.cost_usd), pytest.approx(0.0))
    (request,) = fake_api.requests
    assert request.headers["authorization"] == f"Bearer {KEY_OF[model_name]}"
    assert request.headers["x-stainless-retry-count"] == "0"  # the SDK's own retries are off


def test_429_waits_for_retry_after_then_succeeds(call, fake_api, model_name):
    fake_api.enqueue(API_OF[model_name], Reply.rate_limited(7))

    outcome, sleeps, _ = call()

    assert outcome.output is not None
    assert fake_api.completions(API_OF[model_name]) == 2
    assert len(sleeps) == 1 and 7 <= sleeps[0] <= 7.7  # Retry-After plus at most 10% jitter
    assert outcome.paid_attempts == 1


def test_500s_back_off_exponentially_then_give_up(call, fake_api, llm_config, model_name):
    attempts = llm_config.retry.max_attempts
    fake_api.enqueue(API_OF[model_name], *[Reply.server_error(500)] * attempts)

    outcome, sleeps, budget = call()

    assert fake_api.completions(API_OF[model_name]) == attempts
    assert (outcome.output, outcome.error_kind, outcome.paid_attempts, outcome.cost_usd) == (
        None,
        "server_error",
        0,
        0,
    )
    assert "HTTP 500" in outcome.error_message
    base, cap = llm_config.retry.base_delay_s, llm_config.retry.max_delay_s
    assert len(sleeps) == attempts - 1
    for n, wait in enumerate(sleeps, start=1):
        ceiling = min(cap, base * 2 ** (n - 1))
        assert ceiling / 2 <= wait <= ceiling
    assert budget.reserved_usd == pytest.approx(0.0)  # the unused reservation went back


def test_a_503_then_success(call, fake_api, model_name):
    fake_api.enqueue(API_OF[model_name], Reply.server_error(503))
    outcome, sleeps, _ = call()
    assert outcome.output is not None and len(sleeps) == 1
    assert fake_api.completions(API_OF[model_name]) == 2


def test_a_timeout_is_retried(call, fake_api, model_name):
    fake_api.enqueue(API_OF[model_name], Reply.slow(1.5))  # the client gives up after 0.5 s

    outcome, sleeps, _ = call()

    assert outcome.output is not None
    assert (outcome.http_attempts, outcome.paid_attempts, len(sleeps)) == (2, 1, 1)


@pytest.mark.parametrize(
    "bad_reply, kind",
    [
        (Reply.invalid_json(), "malformed_output"),
        (Reply.refusal(), "refusal"),
        (Reply.out_of_range(1.7), "out_of_range"),
    ],
)
def test_an_invalid_reply_is_paid_and_asked_again(call, fake_api, model_name, bad_reply, kind):
    fake_api.enqueue(API_OF[model_name], bad_reply)

    outcome, sleeps, budget = call()

    assert outcome.output is not None and outcome.error_kind is None
    assert (outcome.http_attempts, outcome.paid_attempts) == (2, 2)
    assert outcome.cost_usd == pytest.approx(2 * _one_call_cost(call.model))
    assert budget.spent_usd == pytest.approx(outcome.cost_usd)


@pytest.mark.parametrize(
    "bad_reply, kind, message",
    [
        (Reply.invalid_json(), "malformed_output", "not JSON"),
        (Reply.refusal(), "refusal", "refused"),
        (Reply.out_of_range(-0.2), "out_of_range", "-0.2 is outside 0..1"),
    ],
)
def test_an_always_invalid_reply_ends_as_a_failure(
    call, fake_api, llm_config, model_name, bad_reply, kind, message
):
    tries = llm_config.retry.max_output_attempts
    fake_api.enqueue(API_OF[model_name], *[bad_reply] * tries)

    outcome, _, _ = call()

    assert (outcome.output, outcome.error_kind) == (None, kind)
    assert message in outcome.error_message
    assert fake_api.completions(API_OF[model_name]) == tries == outcome.paid_attempts


def test_an_invalid_reply_is_not_retried_beyond_the_budget(call, fake_api, model_name):
    fake_api.enqueue(API_OF[model_name], Reply.invalid_json())
    one_call_bound = max_call_cost_usd(call.model, call.prompt)

    outcome, _, budget = call(budget_usd=one_call_bound)  # room for the first attempt only

    assert outcome.stopped_by_budget and outcome.output is None
    assert fake_api.completions(API_OF[model_name]) == 1
    assert budget.spent_usd <= one_call_bound


def test_a_bad_key_stops_the_model(call, fake_api, model_name):
    fake_api.enqueue(API_OF[model_name], Reply.error(401))
    outcome, sleeps, _ = call()
    assert (outcome.fatal, outcome.output, sleeps) == (True, None, [])
    assert fake_api.completions(API_OF[model_name]) == 1


def test_a_rejected_request_is_not_retried(call, fake_api, model_name):
    fake_api.enqueue(API_OF[model_name], Reply.error(400))
    outcome, sleeps, _ = call()
    assert (outcome.fatal, outcome.error_kind, sleeps) == (False, "http_400", [])
    assert fake_api.completions(API_OF[model_name]) == 1
