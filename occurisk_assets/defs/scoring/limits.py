"""Client-side limits shared by the worker threads: pacing (requests and tokens per minute), the money
budget of a scoring invocation, and the backoff between retries."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

from occurisk_assets.defs.scoring.config import RetryConfig

BUDGET_EPSILON_USD = 1e-12


class TokenBucket:
    """Refills at `rate_per_s` up to `capacity`; a request larger than the capacity waits for a full bucket."""

    def __init__(self, rate_per_s: float, capacity: float, now: float):
        self.rate_per_s = rate_per_s
        self.capacity = capacity
        self.level = capacity
        self.updated = now

    def _refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.updated) * self.rate_per_s)
        self.updated = now

    def wait_s(self, amount: float, now: float) -> float:
        self._refill(now)
        needed = min(amount, self.capacity)
        return 0.0 if self.level >= needed else (needed - self.level) / self.rate_per_s

    def take(self, amount: float) -> None:
        self.level -= amount  # may go negative for an oversized request: later ones then wait longer


class RateLimiter:
    """Paces one model's calls to its requests_per_minute and tokens_per_minute, across threads.

    Each bucket holds one second's worth, so bursts stay small and the long-run rate is the limit.
    """

    def __init__(
        self,
        requests_per_minute: float,
        tokens_per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        now = clock()
        self._requests = TokenBucket(requests_per_minute / 60, max(1.0, requests_per_minute / 60), now)
        self._tokens = TokenBucket(tokens_per_minute / 60, max(1.0, tokens_per_minute / 60), now)

    def acquire(self, tokens: int) -> None:
        while True:
            with self._lock:
                now = self._clock()
                wait = max(self._requests.wait_s(1, now), self._tokens.wait_s(tokens, now))
                if wait == 0.0:
                    self._requests.take(1)
                    self._tokens.take(tokens)
                    return
            self._sleep(wait)

    def correct_tokens(self, estimated: int, actual: int) -> None:
        """Charge the difference once the reply says how many tokens the call really used."""
        with self._lock:
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
