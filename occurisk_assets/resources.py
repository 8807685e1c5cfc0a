"""The Dagster resources of the code location: the platform database, the LLM providers and MLflow
tracking. Assets, checks and sensors take them as parameters; the definitions configure them from the
environment that `occurisk` exports to every process it starts (db.export_connection_env), so no secret
or URL is written into the definitions. Outside Dagster (API, CLI) the same modules read the settings.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import dagster as dg
import psycopg
from pydantic import Field, SecretStr

from occurisk_assets.lib.llm_providers import KEY_ENV
from occurisk_assets.lib.settings import Settings, get_settings

if TYPE_CHECKING:
    from occurisk_assets.lib.mlflow_store import MlflowStore

# Exported by db.export_connection_env: the owner's URL of the platform database (the local server's
# names its 0600 password file), and MLflow's tracking store.
DATABASE_URL_ENV = "OCCURISK_PG_URL"
MLFLOW_TRACKING_URI_ENV = "OCCURISK_MLFLOW_TRACKING_URI"
MLFLOW_ARTIFACT_ROOT_ENV = "OCCURISK_MLFLOW_ARTIFACT_ROOT"


class PlatformDatabase(dg.ConfigurableResource):
    """The platform database (PostgreSQL), as its owner role."""

    url: str = Field(description="libpq URL of the platform database.")

    @contextmanager
    def connect(self, **kwargs) -> Iterator[psycopg.Connection]:
        with psycopg.connect(self.url, **kwargs) as conn:
            yield conn


class LLMProviders(dg.ConfigurableResource):
    """What the scoring providers are built with: the API keys (none set anywhere: the offline raters) and
    the file merged over the package's models.toml. A field left unset falls back to the settings."""

    openai_api_key: str | None = None
    anthropic_api_key: str | None = None
    scoring_config: str | None = Field(default=None, description="TOML merged over models.toml.")

    def settings(self) -> Settings:
        """The platform settings with this resource's keys and scoring configuration."""
        base = get_settings()
        return base.model_copy(
            update={
                "openai_api_key": SecretStr(self.openai_api_key)
                if self.openai_api_key
                else base.openai_api_key,
                "anthropic_api_key": (
                    SecretStr(self.anthropic_api_key) if self.anthropic_api_key else base.anthropic_api_key
                ),
                "scoring_config": self.scoring_config or base.scoring_config,
            }
        )


class MlflowTracking(dg.ConfigurableResource):
    """MLflow's tracking store (the `mlflow` database) and artifact root, for scoring runs and the coder."""

    tracking_uri: str
    artifact_root: str

    def store(self) -> MlflowStore:
        from occurisk_assets.lib.mlflow_store import MlflowStore

        return MlflowStore(self.tracking_uri, self.artifact_root)


def platform_resources() -> dict[str, dg.ConfigurableResource]:
    """The resources as the code location binds them: each URL and key an EnvVar, read when a run starts.
    An API key is bound only when its variable is set (unset, scoring uses the offline raters)."""
    keys = {f"{provider}_api_key": dg.EnvVar(env) for provider, env in KEY_ENV.items() if os.environ.get(env)}
    return {
        "database": PlatformDatabase(url=dg.EnvVar(DATABASE_URL_ENV)),
        "llm": LLMProviders(**keys),
        "mlflow": MlflowTracking(
            tracking_uri=dg.EnvVar(MLFLOW_TRACKING_URI_ENV), artifact_root=dg.EnvVar(MLFLOW_ARTIFACT_ROOT_ENV)
        ),
    }
