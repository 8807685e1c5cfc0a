"""A worker's own overload limits (api/overload_limits.py, used without Redis or when it is unreachable)."""

from __future__ import annotations

from api.overload_limits import LocalLimits


def test_a_client_past_its_rate_is_refused_and_a_busy_refusal_costs_no_token():
    limits = LocalLimits(per_kind=1, per_client_per_minute=2, retry_after_s=7)
    assert limits.take("client", "letter").verdict == "admitted"
    busy = limits.take("client", "letter")
    assert (busy.verdict, busy.retry_after_s) == ("busy", 7)
    limits.give_back("letter")
    assert limits.take("client", "letter").verdict == "admitted"  # the busy refusal took no token
    limits.give_back("letter")
    limited = limits.take("client", "letter")
    assert limited.verdict == "rate_limited" and 1 <= limited.retry_after_s <= 30
    assert limits.take("another client", "letter").verdict == "admitted"
    limits.give_back("letter")
    assert limits.take("client", "resume").verdict == "admitted"  # each kind has its own bucket
