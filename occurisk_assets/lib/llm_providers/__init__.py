"""LLM providers behind one interface; API keys come from the environment (Settings) and nowhere else."""

from __future__ import annotations

from occurisk_assets.lib.llm_providers.base import Provider
from occurisk_assets.lib.settings import Settings, get_settings
from occurisk_assets.scoring.config import ModelConfig

KEY_ENV = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
# OpenAI-compatible local servers ignore the key, but the SDK insists on one.
LOCAL_SERVER_PLACEHOLDER_KEY = "no-key-needed"


class MissingApiKey(ValueError):
    pass


def api_key(model: ModelConfig, settings: Settings | None = None) -> str | None:
    settings = settings or get_settings()
    secret = {"openai": settings.openai_api_key, "anthropic": settings.anthropic_api_key}.get(model.provider)
    return secret.get_secret_value() if secret is not None else None


def has_api_key(model: ModelConfig, settings: Settings | None = None) -> bool:
    return api_key(model, settings) is not None


def secret_values(settings: Settings | None = None) -> list[str]:
    """The key values, so that error messages can be scrubbed before they are stored or logged."""
    settings = settings or get_settings()
    return [
        s.get_secret_value() for s in (settings.openai_api_key, settings.anthropic_api_key) if s is not None
    ]


def build_provider(model: ModelConfig, settings: Settings | None = None) -> Provider:
    key = api_key(model, settings)
    if key is None:
        if model.provider == "openai" and model.base_url:
            key = LOCAL_SERVER_PLACEHOLDER_KEY
        else:
            raise MissingApiKey(f"model {model.name!r} needs {KEY_ENV[model.provider]} in the environment")
    if model.provider == "openai":
        from occurisk_assets.lib.llm_providers.openai_provider import OpenAIProvider

        return OpenAIProvider(model, key)
    if model.provider == "anthropic":
        from occurisk_assets.lib.llm_providers.anthropic_provider import AnthropicProvider

        return AnthropicProvider(model, key)
    raise ValueError(f"model {model.name!r} is not an LLM (provider {model.provider!r})")
