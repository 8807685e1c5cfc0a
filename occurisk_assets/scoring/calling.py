"""One scoring call with everything around it: pacing, retries with backoff (tenacity), output
validation, cost and budget. Runs in worker threads; touches no database (the dispatcher in runs.py records outcomes)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tenacity import RetryCallState, Retrying, retry_if_exception_type

from occurisk_assets.lib.llm_providers.base import (
    FatalProviderError,
    Provider,
    ProviderReply,
    RejectedRequest,
    TransientProviderError,
)
from occurisk_assets.lib.llm_providers.limits import BudgetGuard, RateLimiter, backoff_delay_s
from occurisk_assets.scoring.config import ModelConfig, RetryConfig
from occurisk_assets.scoring.parsing import InvalidOutput, ScoreOutput
from occurisk_assets.scoring.prompt import RenderedPrompt


def scrub(text: str, secrets: list[str]) -> str:
    """Error text may echo request headers; no key value ever reaches a table or a log."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return text


def max_call_cost_usd(model: ModelConfig, prompt: RenderedPrompt, *, batch: bool = False) -> float:
    """The most one call can cost: input bounded by the prompt's bytes, output by max_output_tokens."""
    return model.cost_usd(prompt.max_input_tokens, model.max_output_tokens, batch=batch)


def reply_cost_usd(
    model: ModelConfig, prompt: RenderedPrompt, reply: ProviderReply, *, batch: bool = False
) -> float:
    """Cost from the reply's usage; a server that reports no usage is charged the worst case."""
    input_tokens = reply.input_tokens if reply.input_tokens is not None else prompt.max_input_tokens
    output_tokens = reply.output_tokens if reply.output_tokens is not None else model.max_output_tokens
    return model.cost_usd(input_tokens, output_tokens, batch=batch)


@dataclass
class CallContext:
    """What every call of one model shares."""

    provider: Provider
    limiter: RateLimiter
    retry: RetryConfig
    budget: BudgetGuard
    secrets: list[str] = field(default_factory=list)
    sleep: Callable[[float], None] = time.sleep

    @property
    def model(self) -> ModelConfig:
        return self.provider.model


@dataclass
class CallOutcome:
    output: ScoreOutput | None = None
    reply: ProviderReply | None = None
    cost_usd: float = 0.0  # every paid attempt, valid or not
    paid_attempts: int = 0
    http_attempts: int = 0
    latency_ms: int | None = None
    error_kind: str | None = None
    error_message: str | None = None
    stopped_by_budget: bool = False
    fatal: bool = False


class _OutOfBudget(Exception):
    """The budget has no room for another paid attempt."""


def call_with_retries(ctx: CallContext, prompt: RenderedPrompt, reserved_usd: float) -> CallOutcome:
    """Score one prompt. `reserved_usd` is the budget the dispatcher already reserved for the first attempt.

    One tenacity loop retries two things: transient provider errors (after a backoff, at most
    retry.max_attempts of them per call) and paid replies that fail validation (at once, at most
    retry.max_output_attempts paid attempts, each only with budget reserved for it)."""
    model = ctx.model
    outcome = CallOutcome()
    token_estimate = prompt.estimated_input_tokens + model.max_output_tokens
    reservation = reserved_usd
    transient_failures = 0

    def attempt() -> tuple[ProviderReply, ScoreOutput]:
        nonlocal reservation, transient_failures
        if reservation == 0.0:  # a paid reply was invalid: the retry needs budget of its own
            if not ctx.budget.try_reserve(max_call_cost_usd(model, prompt)):
                raise _OutOfBudget
            reservation = max_call_cost_usd(model, prompt)
        ctx.limiter.acquire(token_estimate)
        outcome.http_attempts += 1
        started = time.monotonic()
        try:
            reply = ctx.provider.complete(prompt)
        except TransientProviderError:
            transient_failures += 1
            raise
        outcome.latency_ms = int((time.monotonic() - started) * 1000)
        if reply.input_tokens is not None and reply.output_tokens is not None:
            ctx.limiter.correct_tokens(token_estimate, reply.input_tokens + reply.output_tokens)
        cost = reply_cost_usd(model, prompt, reply)
        ctx.budget.settle(reservation, cost)
        reservation = 0.0
        outcome.paid_attempts += 1
        outcome.cost_usd += cost
        return reply, reply.parse()

    def given_up(state: RetryCallState) -> bool:
        if isinstance(state.outcome.exception(), TransientProviderError):
            return transient_failures >= ctx.retry.max_attempts
        return outcome.paid_attempts >= ctx.retry.max_output_attempts

    def wait_s(state: RetryCallState) -> float:
        exc = state.outcome.exception()
        if isinstance(exc, TransientProviderError):
            return backoff_delay_s(transient_failures, ctx.retry, exc.retry_after_s)
        return 0.0  # an invalid reply is asked again at once

    retrying = Retrying(
        stop=given_up,
        wait=wait_s,
        retry=retry_if_exception_type((TransientProviderError, InvalidOutput)),
        sleep=lambda seconds: ctx.sleep(seconds) if seconds > 0 else None,
        reraise=True,
    )
    try:
        outcome.reply, outcome.output = retrying(attempt)
    except _OutOfBudget:
        outcome.stopped_by_budget = True
    except InvalidOutput as exc:
        _failed(outcome, exc.kind, str(exc), ctx.secrets)
    except (TransientProviderError, RejectedRequest) as exc:
        ctx.budget.release(reservation)
        _failed(outcome, exc.kind, str(exc), ctx.secrets)
    except FatalProviderError as exc:
        ctx.budget.release(reservation)
        outcome.fatal = True
        _failed(outcome, "fatal", str(exc), ctx.secrets)
    return outcome


def _failed(outcome: CallOutcome, kind: str, message: str, secrets: list[str]) -> CallOutcome:
    outcome.error_kind = kind
    outcome.error_message = scrub(message, secrets)[:2000]
    return outcome
