"""Loading the production coder of a data_version for prediction, and the privacy-safe prediction log."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time

from occurisk_assets.coder import registry
from occurisk_assets.coder.model import TOP_K, OccupationCoder, Prediction
from occurisk_assets.lib import db
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.versions import active_version

log = logging.getLogger(__name__)
# Prediction records: model version, a hash of the input, codes and confidences; never the text.
prediction_log = logging.getLogger("occurisk.coder.predictions")

ALIAS_TTL_S = 60.0  # a newly promoted model is picked up within a minute, without a restart

_lock = threading.Lock()
_models: dict[tuple[str, str], OccupationCoder] = {}
_aliases: dict[str, tuple[float, str, object]] = {}


class CoderNotTrained(RuntimeError):
    """No production coder is registered for the data_version."""


def _active_version() -> str:
    with db.connect() as conn:
        version = active_version(conn)
    if version is None:
        raise CoderNotTrained("no O*NET version is active yet")
    return version


def load_production_coder(data_version: str | None = None) -> OccupationCoder:
    data_version = data_version or _active_version()
    now = time.monotonic()
    with _lock:
        cached = _aliases.get(data_version)
        if cached is None or cached[0] < now:
            mlflow_client = registry.client()
            current = registry.production_version(mlflow_client, data_version)
            if current is None:
                raise CoderNotTrained(
                    f"no occupation coder is in production for O*NET {data_version}: materialize the asset "
                    f"coder/occupation_coder for that partition (or run `occurisk coder train --version "
                    f"{data_version}`)"
                )
            cached = (now + ALIAS_TTL_S, str(current.version), (mlflow_client, current))
            _aliases[data_version] = cached
        _, version, (mlflow_client, current) = cached
        key = (data_version, version)
        if key not in _models:
            path = registry.download(mlflow_client, current, get_settings().home / "coder-models")
            coder = OccupationCoder.load(path)
            coder.model_version = f"{current.name}/{version}"
            _models.clear()  # one model per process at a time: they are ~30 MB each
            _models[key] = coder
        return _models[key]


def input_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def log_predictions(model_version: str, texts: list[str], predictions: list[list[Prediction]]) -> None:
    for text, preds in zip(texts, predictions, strict=True):
        prediction_log.info(
            json.dumps(
                {
                    "model": model_version,
                    "input_sha256": input_hash(text),
                    "codes": [p.soc_code for p in preds],
                    "confidences": [p.confidence for p in preds],
                }
            )
        )


def predict(texts: list[str], k: int = TOP_K, data_version: str | None = None) -> list[list[Prediction]]:
    """The k most likely SOC codes of each text, from the production coder of `data_version` (default: the
    active version)."""
    coder = load_production_coder(data_version)
    predictions = coder.predict(texts, k)
    log_predictions(getattr(coder, "model_version", "unregistered"), texts, predictions)
    return predictions


class CodesOnly:
    """The production coder as (soc_code, confidence) pairs, for callers that want no more (the postings
    domain: OCCURISK_OCCUPATION_CODER=occurisk_assets.coder.serving:codes_only)."""

    def __init__(self, coder: OccupationCoder):
        self.coder = coder
        self.version = coder.model_version

    def predict(self, texts: list[str], k: int = TOP_K) -> list[list[tuple[str, float]]]:
        predictions = self.coder.predict(texts, k)
        log_predictions(self.version, texts, predictions)
        return [[(p.soc_code, p.confidence) for p in preds] for preds in predictions]


def codes_only(data_version: str | None = None) -> CodesOnly:
    return CodesOnly(load_production_coder(data_version))
