"""Client-side limits shared by the worker threads: pacing (requests and tokens per minute, pyrate-limiter
token buckets), the money budget of a scoring invocation, and the retry policy for transient provider
errors (tenacity, with the wait taken from Retry-After when the provider sends one)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

from pyrate_limiter import Duration, Limiter, Rate, SingleBucketFactory, StateBucket, TokenBucket
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from occurisk_assets.lib.llm_providers.base import TransientProviderError
from occurisk_assets.scoring.config import RetryConfig

BUDGET_EPSILON_USD = 1e-12


class _PerMinute:
    """One token bucket refilling at `per_minute`, holding one second's worth, so bursts stay small and the
    long-run rate is the limit. An amount larger than the bucket is taken in bucket-sized parts, i.e. it
    waits for as many full buckets."""

    def __init__(self, per_minute: float):
        self.burst = max(1, int(per_minute // 60))
        rate = Rate(max(1, round(per_minute)), Duration.MINUTE, burst=self.burst)
        bucket = StateBucket([rate], algorithm=TokenBucket())
        # A constant-state bucket has nothing to leak: no background thread; no extra wait past the exact one.
        self._limiter = Limiter(SingleBucketFactory(bucket, schedule_leak=False), buffer_ms=0)

    def take(self, amount: int) -> None:
        while amount > 0:
            part = min(amount, self.burst)
            self._limiter.try_acquire("calls", part)  # blocks until admitted
            amount -= part


class RateLimiter:
    """Paces one model's calls to its requests_per_minute and tokens_per_minute, across threads.

    A call is charged its estimated tokens (prompt + max output) before it starts, as the providers count
    them; a reply that used more is charged the difference afterwards (an unused estimate is not refunded).
    """

    def __init__(self, requests_per_minute: float, tokens_per_minute: float):
        self._requests = _PerMinute(requests_per_minute)
        self._tokens = _PerMinute(tokens_per_minute)

    def acquire(self, tokens: int) -> None:
        self._requests.take(1)
        self._tokens.take(tokens)

    def correct_tokens(self, estimated: int, actual: int) -> None:
        """Charge what the reply used beyond the estimate."""
        self._tokens.take(actual - estimated)


class BudgetGuard:
    """The money one scoring invocation may spend, shared by all its models and threads.

    A call is started only after reserving its worst-case cost, so the budget is never exceeded by
    calls in flight; the reservation is replaced by the real cost when the reply arrives.
    """

    def __init__(self, limit_usd: float | None):
        self.limit_usd = limit_usd
        self.spent_usd = 0.0
        self.reserved_usd = 0.0
        self._lock = threading.Lock()

    def try_reserve(self, amount_usd: float) -> bool:
        with self._lock:
            if self.limit_usd is not None and (
                self.spent_usd + self.reserved_usd + amount_usd > self.limit_usd + BUDGET_EPSILON_USD
            ):
                return False
            self.reserved_usd += amount_usd
            return True

    def settle(self, reserved_usd: float, actual_usd: float) -> None:
        with self._lock:
            self.reserved_usd -= reserved_usd
            self.spent_usd += actual_usd

    def release(self, reserved_usd: float) -> None:
        self.settle(reserved_usd, 0.0)


def backoff_delay_s(
    attempt: int, retry: RetryConfig, retry_after_s: float | None, rng: Callable[[], float] = random.random
) -> float:
    """Seconds to wait before retry number `attempt` (1 = the first retry).

    With Retry-After: at least that long (capped at max_retry_after_s) plus up to 10% jitter.
    Otherwise exponential with "equal jitter": half of min(max_delay, base * 2**(attempt-1)), plus a random
    part up to the other half, so the wait grows and concurrent callers spread out.
    """
    if retry_after_s is not None:
        wait = min(retry_after_s, retry.max_retry_after_s)
        return wait + rng() * 0.1 * wait
    ceiling = min(retry.max_delay_s, retry.base_delay_s * 2 ** (attempt - 1))
    return ceiling / 2 + rng() * ceiling / 2


def transient_wait(retry: RetryConfig) -> Callable[[RetryCallState], float]:
    """A tenacity wait: backoff_delay_s for the attempt that just failed, honouring its Retry-After."""

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = exc.retry_after_s if isinstance(exc, TransientProviderError) else None
        return backoff_delay_s(state.attempt_number, retry, retry_after)

    return wait


def transient_retrying(retry: RetryConfig, sleep: Callable[[float], None] = time.sleep) -> Retrying:
    """Up to retry.max_attempts attempts while the provider fails transiently; the last error is re-raised.
    Other errors are raised at once."""
    return Retrying(
        stop=stop_after_attempt(retry.max_attempts),
        wait=transient_wait(retry),
        retry=retry_if_exception_type(TransientProviderError),
        sleep=sleep,
        reraise=True,
    )
