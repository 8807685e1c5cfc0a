"""dbt models as Dagster assets, partitioned by data_version (the partition key is the dbt var).

Two @dbt_assets so the Python scoring asset ["core", "task_ai_score"] can sit between them without an op
cycle: `onet_dbt_models` (staging → task_catalog, occupation_task_weight, ...) feeds the scoring, and
`score_dbt_models` (tag:scores: task_ai_ensemble, occupation_ai_score, ...) reads what it wrote. The
careers models (tag:careers, which read scores too) sit after the Python similarity asset, in defs/careers.
dbt tests are loaded as asset checks of the models they test.
"""

import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from occurisk_assets.defs.dbt.project import dbt_project
from occurisk_assets.partitions import data_version_partitions

SCORES_SELECTION = "tag:scores"
# Built after the Python similarity asset, by defs/careers (its own @dbt_assets).
CAREERS_SELECTION = "tag:careers"
# Built after the Python BLS link, by defs/bls (its own @dbt_assets).
BLS_SELECTION = "tag:bls"
# Only what dbt_project/macros/current_data_version.sql accepts: a version or its rebuild key (versions.py).
DATA_VERSION_RE = re.compile(r"[0-9A-Za-z._-]+(~new)?")


def dbt_vars_args(data_version: str) -> list[str]:
    """The dbt CLI arguments that make a run build exactly one data_version (the partition key)."""
    if not DATA_VERSION_RE.fullmatch(data_version or ""):
        raise ValueError(f"data_version {data_version!r} is not a release key like '30.1'")
    return ["--vars", json.dumps({"data_version": data_version})]


# dbt parses the whole project again (about a third of a build step) when --vars or the connection differ
# from the parse it finds in the target folder; each build keeps its parse here for the next build of the
# same version on the same database.
SAVED_PARSES = dbt_project.project_dir / "target" / "partial_parse"
PARTIAL_PARSE_FILE = "partial_parse.msgpack"


def saved_parse(data_version: str) -> Path:
    """Where builds of `data_version` on the database dbt connects to (OCCURISK_PG*) keep dbt's parse."""
    connection = [os.environ.get(f"OCCURISK_PG{key}", "") for key in ("HOST", "PORT", "DATABASE")]
    key = hashlib.sha256(json.dumps([*connection, data_version]).encode()).hexdigest()[:16]
    return SAVED_PARSES / f"{key}.msgpack"


def dbt_build(context: AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """`dbt build` of the partition's version, starting from the previous build's parse of the same version
    and database (dbt checks that it still matches the project files and reparses what changed)."""
    saved = saved_parse(context.partition_key)
    target = (
        dbt_project.project_dir
        / "target"
        / f"{context.op_execution_context.op.name}-{context.run_id[:7]}-{uuid.uuid4().hex[:7]}"
    )
    if saved.exists():
        target.mkdir(parents=True)
        shutil.copy(saved, target / PARTIAL_PARSE_FILE)
    yield from dbt.cli(
        ["build", *dbt_vars_args(context.partition_key)], context=context, target_path=target
    ).stream()
    if (target / PARTIAL_PARSE_FILE).exists():
        saved.parent.mkdir(parents=True, exist_ok=True)
        staged = saved.with_name(f"{saved.name}.{uuid.uuid4().hex}")
        shutil.copy(target / PARTIAL_PARSE_FILE, staged)
        os.replace(staged, saved)  # atomic: a concurrent build of the same key reads a whole file


class OccuriskDbtTranslator(DagsterDbtTranslator):
    """Models are keyed by name (["task_catalog"]), sources by [source, table] (["onet_raw", "task_ratings"]);
    groups follow the project's layers (staging, intermediate, marts)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return AssetKey([dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else super().get_group_name(dbt_resource_props)


dbt_translator = OccuriskDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def partitioned_dbt_assets(name: str, select: str = "fqn:*", exclude: str | None = None):
    """One @dbt_assets over the models `select` names (less `exclude`), partitioned by data_version: each run
    builds (runs and tests) those models for its partition's version. Every dbt slice of the graph is made
    here, so they differ only in what they select."""

    @dbt_assets(
        name=name,
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        dagster_dbt_translator=dbt_translator,
        partitions_def=data_version_partitions,
        select=select,
        exclude=exclude,
        # Runs of different versions rebuild the same staging views; a pool limited to 1 serialises them.
        pool="dbt",
    )
    def _models(context: AssetExecutionContext, dbt: DbtCliResource):
        yield from dbt_build(context, dbt)

    return _models


onet_dbt_models = partitioned_dbt_assets(
    "onet_dbt_models", exclude=f"{SCORES_SELECTION} {CAREERS_SELECTION} {BLS_SELECTION}"
)
score_dbt_models = partitioned_dbt_assets(
    "score_dbt_models", select=SCORES_SELECTION, exclude=CAREERS_SELECTION
)
