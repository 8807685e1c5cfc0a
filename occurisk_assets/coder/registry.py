"""The coder in MLflow: each trained model is a run (params, held-out metrics, the model as artifacts) and a
version of the registered model `occurisk-occupation-coder-<data_version>`; the alias `production` moves to
a new version only when it beats the current production model on the same held-out titles.

Only O*NET text is ever trained on or logged here, never a person's text.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from occurisk_assets.coder.corpus import HELD_OUT_BUCKETS, Corpus
from occurisk_assets.coder.model import PARAMS, OccupationCoder
from occurisk_assets.lib.mlflow_store import MlflowStore

log = logging.getLogger(__name__)

EXPERIMENT_NAME = "occurisk-occupation-coder"
PRODUCTION_ALIAS = "production"
# What a version was trained from: its corpus and the code and parameters that trained it.
FINGERPRINT_TAG = "occurisk.training_fingerprint"
MODEL_PATH = "model"
# The modules whose code decides what a corpus trains into.
TRAINING_CODE = (Path(__file__).with_name("model.py"), Path(__file__).with_name("corpus.py"))


def registered_name(data_version: str) -> str:
    return f"occurisk-occupation-coder-{data_version}"


@dataclass(frozen=True)
class Registration:
    name: str
    version: str
    run_id: str
    top1: float
    top3: float
    n_held_out: int
    ece: float | None
    promoted: bool
    reused: bool  # the same corpus was already trained and registered: no new version
    production_version: str
    reason: str
    production_top1: float | None = None  # the previous production model on the same held-out titles


def client(store: MlflowStore | None = None):
    return (store or MlflowStore.from_settings()).client()


def production_version(mlflow_client, data_version: str):
    """The registered version carrying the `production` alias, or None."""
    from mlflow.exceptions import MlflowException

    try:
        return mlflow_client.get_model_version_by_alias(registered_name(data_version), PRODUCTION_ALIAS)
    except MlflowException:
        return None


def download(mlflow_client, model_version, into: Path) -> Path:
    """The model's files of a registered version, in `into` (downloaded once)."""
    target = into / model_version.name / str(model_version.version)
    if not (target / MODEL_PATH / "labels.json").exists():
        target.mkdir(parents=True, exist_ok=True)
        mlflow_client.download_artifacts(model_version.run_id, MODEL_PATH, str(target))
    return target / MODEL_PATH


def training_fingerprint(corpus: Corpus) -> str:
    """The same corpus trained by the same code with the same parameters and encoder gives the same model."""
    from occurisk_assets.text.encoder import MODEL_NAME, MODEL_VERSION

    h = hashlib.sha256(corpus.fingerprint().encode())
    h.update(json.dumps([PARAMS, MODEL_NAME, MODEL_VERSION], sort_keys=True).encode())
    for module in TRAINING_CODE:
        h.update(module.read_bytes())
    return h.hexdigest()


def _trained_versions(mlflow_client, corpus: Corpus, fingerprint: str) -> list:
    name = registered_name(corpus.data_version)
    return [
        mv
        for mv in mlflow_client.search_model_versions(f"name='{name}'")
        if mv.tags.get(FINGERPRINT_TAG) == fingerprint
    ]


def reuse_trained(corpus: Corpus, store: MlflowStore | None = None) -> Registration | None:
    """The version already trained on this very corpus by this very code, with the held-out metrics its run
    logged, or None: a rebuild of the same release (a retry, a re-run) trains nothing again."""
    from mlflow.exceptions import MlflowException

    store = store or MlflowStore.from_settings()
    mlflow_client = store.client()
    try:
        same = _trained_versions(mlflow_client, corpus, training_fingerprint(corpus))
    except MlflowException:  # no registered model of this data_version yet
        return None
    if not same:
        return None
    candidate = min(same, key=lambda mv: int(mv.version))
    logged = mlflow_client.get_run(candidate.run_id).data.metrics
    metrics = {
        "top1": logged["heldout_top1"],
        "top3": logged["heldout_top3"],
        "n": int(logged["heldout_n"]),
        **({"ece": logged["heldout_ece"]} if "heldout_ece" in logged else {}),
    }
    return _registration(mlflow_client, corpus, metrics, candidate, reused=True)


def _ensure_registered_model(mlflow_client, name: str, data_version: str) -> None:
    from mlflow.exceptions import MlflowException

    try:
        mlflow_client.get_registered_model(name)
    except MlflowException:
        mlflow_client.create_registered_model(
            name,
            tags={"occurisk.data_version": data_version},
            description=f"Free text → SOC code, trained on O*NET {data_version} titles, tasks, descriptions.",
        )


def register(
    coder: OccupationCoder,
    corpus: Corpus,
    metrics: dict,
    train_seconds: float,
    store: MlflowStore | None = None,
) -> Registration:
    from mlflow.entities import Metric, Param

    store = store or MlflowStore.from_settings()
    mlflow_client = store.client()
    name = registered_name(corpus.data_version)
    _ensure_registered_model(mlflow_client, name, corpus.data_version)
    fingerprint = training_fingerprint(corpus)
    same = _trained_versions(mlflow_client, corpus, fingerprint)
    reused = bool(same)
    if reused:
        candidate = min(same, key=lambda mv: int(mv.version))
    else:
        run = mlflow_client.create_run(
            store.experiment_id(mlflow_client, EXPERIMENT_NAME),
            run_name=f"occupation coder {corpus.data_version}",
            tags={"occurisk.data_version": corpus.data_version, FINGERPRINT_TAG: fingerprint},
        )
        run_id = run.info.run_id
        params = {
            **PARAMS,
            "data_version": corpus.data_version,
            "held_out": f"alternate and reported titles with sha256(normalised title) % {HELD_OUT_BUCKETS} == 0",
            "n_train": len(corpus.train),
            "n_classes": len(coder.classes),
        }
        now = int(time.time() * 1000)
        mlflow_client.log_batch(
            run_id,
            metrics=[
                Metric("heldout_top1", metrics["top1"], now, 0),
                Metric("heldout_top3", metrics["top3"], now, 0),
                Metric("heldout_n", metrics["n"], now, 0),
                Metric("train_seconds", train_seconds, now, 0),
                *(
                    Metric(f"heldout_{key}", metrics[key], now, 0)
                    for key in (
                        "ece",
                        "ece_n",
                        "unsure_share",
                        "top1_when_sure",
                        "top1_when_unsure",
                        "top1_any_listed",
                        "top3_any_listed",
                    )
                    if key in metrics
                ),
            ],
            params=[Param(k, str(v)) for k, v in params.items()],
        )
        if "reliability" in metrics:
            mlflow_client.log_dict(run_id, metrics["reliability"], "reliability.json")
        with tempfile.TemporaryDirectory() as tmp:
            coder.save(Path(tmp) / MODEL_PATH)
            mlflow_client.log_artifacts(run_id, str(Path(tmp) / MODEL_PATH), MODEL_PATH)
        mlflow_client.set_terminated(run_id, "FINISHED")
        candidate = mlflow_client.create_model_version(
            name,
            source=f"{mlflow_client.get_run(run_id).info.artifact_uri}/{MODEL_PATH}",
            run_id=run_id,
            tags={
                FINGERPRINT_TAG: fingerprint,
                "heldout_top1": f"{metrics['top1']:.4f}",
                "heldout_top3": f"{metrics['top3']:.4f}",
            },
        )
    return _registration(mlflow_client, corpus, metrics, candidate, reused)


def _registration(mlflow_client, corpus: Corpus, metrics: dict, candidate, reused: bool) -> Registration:
    """Promote `candidate` if it earns it (_decide) and say where the registered model stands."""
    name = registered_name(corpus.data_version)
    promoted, reason, previous_top1 = _decide(mlflow_client, corpus, metrics, candidate)
    if promoted:
        mlflow_client.set_registered_model_alias(name, PRODUCTION_ALIAS, candidate.version)
    current = production_version(mlflow_client, corpus.data_version)
    return Registration(
        name=name,
        version=str(candidate.version),
        run_id=candidate.run_id,
        top1=metrics["top1"],
        top3=metrics["top3"],
        n_held_out=metrics["n"],
        ece=metrics.get("ece"),
        promoted=promoted,
        reused=reused,
        production_version=str(current.version) if current else "",
        reason=reason,
        production_top1=previous_top1,
    )


def _decide(mlflow_client, corpus, metrics, candidate) -> tuple[bool, str, float | None]:
    """Promote when there is no production model, or when the candidate is better on the same held-out
    titles (top-1, then top-3 on a tie)."""
    current = production_version(mlflow_client, corpus.data_version)
    if current is None:
        return True, "first model of this data_version", None
    if str(current.version) == str(candidate.version):
        return False, f"version {candidate.version} already is production", metrics["top1"]
    with tempfile.TemporaryDirectory() as tmp:
        previous = OccupationCoder.load(download(mlflow_client, current, Path(tmp)))
    theirs = previous.evaluate(corpus.held_out)
    better = (metrics["top1"], metrics["top3"]) > (theirs["top1"], theirs["top3"])
    verdict = "beats" if better else "does not beat"
    reason = (
        f"candidate top-1 {metrics['top1']:.4f} / top-3 {metrics['top3']:.4f} {verdict} production "
        f"version {current.version} ({theirs['top1']:.4f} / {theirs['top3']:.4f}) on the same "
        f"{metrics['n']} held-out titles"
    )
    return better, reason, theirs["top1"]
