"""The fake LLM server as the configured OpenAI model, for one test of code that takes its model and key
from the settings (the résumé rewording): models.toml overridden to point gpt-4.1-mini at the server, and
a test key. Imported by tests/conftest.py, so every folder has `fake_llm`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from occurisk_assets.lib.settings import get_settings
from tests.fakes.llm_server import FakeLLMServer

REWORDING_MODEL = "openai:gpt-4.1-mini"


@pytest.fixture
def fake_llm(tmp_path, monkeypatch) -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as server:
        override = tmp_path / "models.toml"
        override.write_text(f'[models."{REWORDING_MODEL}"]\nbase_url = "{server.openai_base_url}"\n')
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-fake-llm")
        monkeypatch.setenv("OCCURISK_SCORING_CONFIG", str(override))
        get_settings.cache_clear()
        yield server
    monkeypatch.undo()
    get_settings.cache_clear()
