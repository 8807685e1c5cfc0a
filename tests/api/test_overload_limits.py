"""A worker's own overload limits (api/overload_limits.py, used without Redis or when it is unreachable), and
what keeps its event loop free under expensive requests."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.config import ApiSettings
from api.main import create_app
from api.overload_limits import LocalLimits
from occurisk_assets.assistant import voice


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


def test_a_worker_loads_the_speech_model_before_it_serves(fresh_database):
    """Loading the model holds the GIL for most of a second: at start-up, not under a first recording."""
    voice._model.cache_clear()
    with TestClient(create_app(fresh_database, ApiSettings(preload_speech_model=True))):
        assert voice._model.cache_info().currsize == 1
