"""Where MLflow tracks runs and models: the `mlflow` database of the platform's PostgreSQL and an artifact
folder under the platform home. Scoring runs and the occupation coder both log here."""

from __future__ import annotations

from dataclasses import dataclass

from occurisk_assets.lib import db
from occurisk_assets.lib.settings import Settings, get_settings


def tracking_uri(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return db.sqlalchemy_url(db.mlflow_database_url(settings))


def artifact_root(settings: Settings | None = None) -> str:
    return db.mlflow_artifact_root(settings)


@dataclass(frozen=True)
class MlflowStore:
    """Where runs and models are tracked: the tracking store's URI and the artifact root."""

    tracking_uri: str
    artifact_root: str

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> MlflowStore:
        return cls(tracking_uri(settings), artifact_root(settings))

    def client(self):
        from mlflow.tracking import MlflowClient  # slow to import: only when used

        return MlflowClient(tracking_uri=self.tracking_uri)

    def experiment_id(self, mlflow_client, name: str) -> str:
        experiment = mlflow_client.get_experiment_by_name(name)
        if experiment is not None:
            return experiment.experiment_id
        return mlflow_client.create_experiment(name, artifact_location=self.artifact_root)
