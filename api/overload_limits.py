"""The counts behind overload protection (api/overload.py): each client's token bucket per kind of expensive
request (the rate limit) and the requests of each kind in flight (the cap).

Without OCCURISK_REDIS_URL they live in this worker (`LocalLimits`). With it, in Redis, shared by every worker
of every replica (`SharedLimits`): one Lua script checks and takes both atomically, and each slot in flight is a
lease (a member of a sorted set scored by its expiry) renewed while its request runs, so the slots of a
replica that crashed free themselves after `lease_s`. When Redis cannot be reached the limits fall back to this
worker's (one warning logged, each fallback counted in occurisk_overload_store_fallbacks_total) and Redis is
tried again after `RETRY_REDIS_S`.

Client keys are hashes (api/overload.py): no address or profile id is stored in Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
import uuid
from dataclasses import dataclass
from typing import Literal

from redis import asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from api.metrics import OVERLOAD_STORE_FALLBACKS

log = logging.getLogger(__name__)

Verdict = Literal["admitted", "rate_limited", "busy"]
# Buckets this worker keeps before it drops the full ones (clients not seen for a while).
MAX_LOCAL_BUCKETS = 10_000
# After Redis failed, decide locally this long before trying it again (no timeout paid per request).
RETRY_REDIS_S = 5.0
REDIS_TIMEOUT_S = 0.5
KEY_PREFIX = "occurisk:overload"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    retry_after_s: int = 0
    # The slot to release once the request is answered: a Redis lease id, or None when counted locally.
    lease: str | None = None


class LocalLimits:
    """This worker's counts (one event loop: no lock needed)."""

    def __init__(self, per_kind: int, per_client_per_minute: int, retry_after_s: int):
        self.per_kind = per_kind
        self.capacity = per_client_per_minute
        self.refill_per_s = per_client_per_minute / 60
        self.retry_after_s = retry_after_s
        self.in_flight: dict[str, int] = {}
        self.buckets: dict[tuple[str, str], tuple[float, float]] = {}  # (client, kind) → (tokens, when)

    def _tokens(self, key: tuple[str, str], now: float) -> float:
        tokens, when = self.buckets.get(key, (self.capacity, now))
        return min(self.capacity, tokens + (now - when) * self.refill_per_s)

    def take(self, client: str, kind: str) -> Decision:
        now = time.monotonic()
        key = (client, kind)
        tokens = self._tokens(key, now)
        if tokens < 1:
            return Decision("rate_limited", math.ceil((1 - tokens) / self.refill_per_s))
        if self.in_flight.get(kind, 0) >= self.per_kind:
            return Decision("busy", self.retry_after_s)  # no token taken: nothing was done
        if len(self.buckets) >= MAX_LOCAL_BUCKETS:
            self.buckets = {k: v for k, v in self.buckets.items() if self._tokens(k, now) < self.capacity}
        self.buckets[key] = (tokens - 1, now)
        self.in_flight[kind] = self.in_flight.get(kind, 0) + 1
        return Decision("admitted")

    def give_back(self, kind: str) -> None:
        self.in_flight[kind] -= 1

    async def admit(self, client: str, kind: str) -> Decision:
        return self.take(client, kind)

    async def release(self, kind: str, decision: Decision) -> None:
        self.give_back(kind)


# KEYS: the client's bucket (hash), the kind's slots (sorted set: lease id → expiry).
# ARGV: bucket capacity, refill per second, cap, lease seconds, lease id, busy Retry-After.
# Returns {0 admitted | 1 rate limited | 2 busy, Retry-After}. Redis's clock, so replicas' clocks do not matter.
ADMIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local capacity, refill = tonumber(ARGV[1]), tonumber(ARGV[2])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'when')
local tokens = tonumber(bucket[1]) or capacity
local when = tonumber(bucket[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - when) * refill)
if tokens < 1 then
  return {1, math.ceil((1 - tokens) / refill)}
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
  return {2, tonumber(ARGV[6])}
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'when', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / refill) + 1)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[5])
return {0, 0}
"""
# KEYS: the kind's slots. ARGV: lease seconds, lease id. Pushes the lease's expiry on if it is still held.
RENEW = """
local t = redis.call('TIME')
return redis.call('ZADD', KEYS[1], 'XX', tonumber(t[1]) + tonumber(ARGV[1]), ARGV[2])
"""


class SharedLimits:
    """The limits in Redis, with this worker's `LocalLimits` when Redis cannot be reached."""

    def __init__(self, redis_url: str, local: LocalLimits, lease_s: int):
        self.local = local
        self.lease_s = lease_s
        # No retries of its own: a failure falls back at once, and Redis is tried again after RETRY_REDIS_S.
        self.redis = aioredis.from_url(
            redis_url,
            socket_timeout=REDIS_TIMEOUT_S,
            socket_connect_timeout=REDIS_TIMEOUT_S,
            retry=Retry(NoBackoff(), retries=0),
        )
        self.admit_script = self.redis.register_script(ADMIT)
        self.renew_script = self.redis.register_script(RENEW)
        self.down_until = 0.0  # monotonic time before which Redis is not tried
        self.renewals: dict[str, asyncio.Task] = {}

    def _fell_back(self, exc: Exception | None) -> None:
        OVERLOAD_STORE_FALLBACKS.inc()
        if exc is not None:
            if self.down_until == 0.0:  # once per outage; never the URL (it may hold a password)
                log.warning(
                    "Redis unreachable (%s): overload limits are per worker until it is back",
                    type(exc).__name__,
                )
            self.down_until = time.monotonic() + RETRY_REDIS_S

    async def admit(self, client: str, kind: str) -> Decision:
        if time.monotonic() < self.down_until:
            self._fell_back(None)
            return self.local.take(client, kind)
        lease = uuid.uuid4().hex
        keys = [f"{KEY_PREFIX}:rate:{kind}:{client}", f"{KEY_PREFIX}:slots:{kind}"]
        args = [self.local.capacity, self.local.refill_per_s, self.local.per_kind, self.lease_s, lease]
        try:
            code, retry_after = await self.admit_script(keys=keys, args=[*args, self.local.retry_after_s])
        except RedisError as exc:
            self._fell_back(exc)
            return self.local.take(client, kind)
        if self.down_until:
            log.warning("Redis reachable again: overload limits are shared")
            self.down_until = 0.0
        if code == 1:
            return Decision("rate_limited", int(retry_after))
        if code == 2:
            return Decision("busy", int(retry_after))
        self.renewals[lease] = asyncio.create_task(self._renew(kind, lease))
        return Decision("admitted", lease=lease)

    async def _renew(self, kind: str, lease: str) -> None:
        while True:
            await asyncio.sleep(self.lease_s / 3)
            # On failure the lease may lapse: the cap loosens for a moment, nothing is lost.
            with contextlib.suppress(RedisError):
                await self.renew_script(keys=[f"{KEY_PREFIX}:slots:{kind}"], args=[self.lease_s, lease])

    async def release(self, kind: str, decision: Decision) -> None:
        if decision.lease is None:
            self.local.give_back(kind)
            return
        self.renewals.pop(decision.lease).cancel()
        with contextlib.suppress(RedisError):  # else the lease expires by itself after lease_s
            await self.redis.zrem(f"{KEY_PREFIX}:slots:{kind}", decision.lease)
