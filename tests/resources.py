"""The code location's resources for tests that run assets, checks, jobs or sensors outside it: configured
from the test's own database URL (default: the one the test points at) instead of the environment."""

from __future__ import annotations

from occurisk_assets.lib import db
from occurisk_assets.lib.mlflow_store import artifact_root, tracking_uri
from occurisk_assets.resources import LLMProviders, MlflowTracking, PlatformDatabase


def resources_for_tests(url: str | None = None) -> dict:
    return {
        "database": PlatformDatabase(url=url or db.database_url()),
        "llm": LLMProviders(),
        "mlflow": MlflowTracking(tracking_uri=tracking_uri(), artifact_root=artifact_root()),
    }
