"""dbt models as Dagster assets, partitioned by data_version (the partition key is the dbt var).

Two @dbt_assets so the Python scoring asset ["core", "task_ai_score"] can sit between them without an op
cycle: `onet_dbt_models` (staging → task_catalog, occupation_task_weight, ...) feeds the scoring, and
`score_dbt_models` (tag:scores: task_ai_ensemble, occupation_ai_score, ...) reads what it wrote. The
careers models (tag:careers, which read scores too) sit after the Python similarity asset, in defs/careers.
dbt tests are loaded as asset checks of the models they test.
"""

import json
import re
from collections.abc import Mapping
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

_common = {
    "manifest": dbt_project.manifest_path,
    "project": dbt_project,
    "dagster_dbt_translator": dbt_translator,
    "partitions_def": data_version_partitions,
    # Runs of different versions rebuild the same staging views; a pool limited to 1 serialises them.
    "pool": "dbt",
}


@dbt_assets(
    name="onet_dbt_models", exclude=f"{SCORES_SELECTION} {CAREERS_SELECTION} {BLS_SELECTION}", **_common
)
def onet_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build", *dbt_vars_args(context.partition_key)], context=context).stream()


@dbt_assets(name="score_dbt_models", select=SCORES_SELECTION, exclude=CAREERS_SELECTION, **_common)
def score_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build", *dbt_vars_args(context.partition_key)], context=context).stream()
