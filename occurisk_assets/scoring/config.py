"""Scoring configuration: models, prices, limits and retry policy from models.toml (+ an override file).

Nothing here is a secret: API keys are read from the environment by the providers, never from this file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from occurisk_assets.lib.settings import get_settings

DEFAULT_CONFIG_FILE = Path(__file__).with_name("models.toml")

Provider = Literal["openai", "anthropic", "published"]


class ModelConfig(BaseModel):
    """One scoring "model": an LLM behind an API, or a column of published ratings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    provider: Provider
    model_id: str | None = None
    model_version: str | None = None
    input_usd_per_mtok: float = Field(default=0.0, ge=0)
    output_usd_per_mtok: float = Field(default=0.0, ge=0)
    batch_discount: float = Field(default=1.0, gt=0, le=1)
    temperature: float | None = None
    max_output_tokens: int = Field(default=300, gt=0)
    timeout_s: float = Field(default=60.0, gt=0)
    requests_per_minute: float = Field(default=60, gt=0)
    tokens_per_minute: float = Field(default=100_000, gt=0)
    concurrency: int = Field(default=4, ge=1)
    base_url: str | None = None
    response_format: Literal["json_schema", "json_object", "text"] = "json_schema"
    label_column: str | None = None

    @model_validator(mode="after")
    def _check_provider_fields(self) -> ModelConfig:
        if self.provider == "published":
            if not self.label_column:
                raise ValueError(f"model {self.name!r}: a published rater needs label_column")
        elif not (self.model_id and self.model_version):
            raise ValueError(f"model {self.name!r}: an LLM needs model_id and model_version")
        if not self.name.startswith(f"{self.provider}:"):
            raise ValueError(f"model {self.name!r}: the name must start with '{self.provider}:'")
        return self

    @property
    def is_llm(self) -> bool:
        return self.provider != "published"

    def cost_usd(self, input_tokens: int, output_tokens: int, *, batch: bool = False) -> float:
        cost = (input_tokens * self.input_usd_per_mtok + output_tokens * self.output_usd_per_mtok) / 1e6
        return cost * (self.batch_discount if batch else 1.0)


class RetryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_attempts: int = Field(default=6, ge=1)
    max_output_attempts: int = Field(default=3, ge=1)
    base_delay_s: float = Field(default=1.0, ge=0)
    max_delay_s: float = Field(default=60.0, ge=0)
    max_retry_after_s: float = Field(default=600.0, ge=0)


class BatchConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    poll_interval_s: float = Field(default=30.0, gt=0)
    max_wait_s: float = Field(default=86_400.0, gt=0)


class PublishedConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    file_name: str = "full_labelset.tsv"
    download_url: str


class ScoringConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt_version: str
    default_llm_models: list[str]
    default_offline_models: list[str]
    retry: RetryConfig = RetryConfig()
    batch: BatchConfig = BatchConfig()
    published: PublishedConfig
    models: dict[str, ModelConfig]

    @model_validator(mode="before")
    @classmethod
    def _name_models(cls, data: dict) -> dict:
        models = data.get("models") or {}
        data["models"] = {name: {**fields, "name": name} for name, fields in models.items()}
        return data

    @model_validator(mode="after")
    def _check_defaults_exist(self) -> ScoringConfig:
        for name in [*self.default_llm_models, *self.default_offline_models]:
            if name not in self.models:
                raise ValueError(f"default model {name!r} is not configured under [models]")
        return self

    def model(self, name: str) -> ModelConfig:
        try:
            return self.models[name]
        except KeyError:
            known = ", ".join(sorted(self.models))
            raise ValueError(f"unknown model {name!r}; configured models: {known}") from None


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ValueError(f"scoring config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: invalid TOML: {exc}") from None


def load_scoring_config(override_file: Path | None = None) -> ScoringConfig:
    """The package's models.toml, with `override_file` (default: OCCURISK_SCORING_CONFIG) merged over it."""
    override_file = override_file or get_settings().scoring_config
    data = _read_toml(DEFAULT_CONFIG_FILE)
    source = str(DEFAULT_CONFIG_FILE)
    if override_file:
        data = _merge(data, _read_toml(Path(override_file)))
        source = f"{DEFAULT_CONFIG_FILE} + {override_file}"
    try:
        return ScoringConfig.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"invalid scoring config ({source}): {exc}") from None
