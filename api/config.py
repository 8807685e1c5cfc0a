"""The API's own settings, from the environment (OCCURISK_*); the database comes from occurisk_assets.lib.db."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ONET_ATTRIBUTION = (
    "This product includes information from the O*NET {version} Database by the U.S. Department of Labor, "
    "Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license."
)


def onet_attribution(version: str | None) -> str:
    """The attribution O*NET's licence asks for, naming the release a response was built from."""
    return ONET_ATTRIBUTION.format(version=version or "")


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OCCURISK_", env_file=".env", extra="ignore")

    # Browser origins allowed to call the API: comma-separated (or a JSON list); "*" for any; empty for none.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Connections the API keeps open to PostgreSQL.
    api_pool_min_size: int = Field(default=2, ge=1)
    api_pool_max_size: int = Field(default=10, ge=1)
    # A request waits at most this long for a free connection, then gets 503.
    api_pool_timeout_s: float = Field(default=10.0, gt=0)
    # A query running longer than this is cancelled (the client gets 503), so no request can pin a connection.
    api_statement_timeout_ms: int = Field(default=5000, ge=100)
    # The assistant's database URL (role occurisk_assistant); unset: the platform URL with SET ROLE.
    assistant_database_url: str | None = None
    # Audio accepted by POST /api/v1/transcribe.
    transcribe_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    transcribe_max_seconds: float = Field(default=120.0, gt=0)
    # Bodies the response cache keeps per worker process (0: no cache).
    response_cache_mb: int = Field(default=64, ge=0)
    # Load the speech model when a worker starts (its load holds the GIL for most of a second; see
    # docs/benchmarks.md "Overload"); off, the first recording a worker transcribes loads it.
    preload_speech_model: bool = True
    # Expensive requests (api/overload.py) of one kind a worker answers at once; past it, 503 + Retry-After.
    heavy_jobs_per_kind: int = Field(default=2, ge=1)
    busy_retry_after_s: int = Field(default=10, ge=1)
    # Expensive requests of one kind a client (its address, and the profile the path names) may send a minute:
    # room for a counsellor's office, whose people share one address on the pages without a profile.
    heavy_requests_per_client_per_minute: int = Field(default=30, ge=1)
    # Redis shared by every replica (redis://host:6379/0): the two limits above then count across all of them
    # (the cap is then the total in flight, not per worker). Unset: each worker counts its own.
    redis_url: str | None = None
    # A slot in flight in Redis expires this long after its replica stopped renewing it (a crash).
    heavy_lease_s: int = Field(default=30, ge=3)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if value.startswith("["):
                return json.loads(value)
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value


@lru_cache
def get_api_settings() -> ApiSettings:
    return ApiSettings()
