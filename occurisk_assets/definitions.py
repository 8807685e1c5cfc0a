"""The one Dagster code location: every domain's definitions merged, plus the jobs that span domains."""

from dagster import AssetSelection, Definitions, define_asset_job

from occurisk_assets import db
from occurisk_assets.defs.bls.definitions import defs as bls_defs
from occurisk_assets.defs.careers.definitions import defs as careers_defs
from occurisk_assets.defs.dbt.definitions import defs as dbt_defs
from occurisk_assets.defs.lifecycle.definitions import defs as lifecycle_defs
from occurisk_assets.defs.onet.definitions import defs as onet_defs
from occurisk_assets.defs.scoring.definitions import defs as scoring_defs
from occurisk_assets.partitions import data_version_partitions

# dbt (profiles.yml) and dagster.yaml read the connection from the environment.
db.export_connection_env()

DOMAINS = (onet_defs, dbt_defs, scoring_defs, bls_defs, careers_defs, lifecycle_defs)


def assets_partitioned_by(partitions_def) -> AssetSelection:
    keys = [
        key
        for d in DOMAINS
        for a in (d.assets or [])
        if getattr(a, "partitions_def", None) == partitions_def
        for key in a.keys
    ]
    return AssetSelection.assets(*keys)


# Everything derived from one O*NET release, in dependency order: raw tables → dbt marts → scores →
# ensembles → BLS link → similarity and transitions → diff report → gated activation.
data_version_pipeline = define_asset_job(
    "data_version_pipeline",
    selection=assets_partitioned_by(data_version_partitions),
    description="Load one O*NET release and build everything derived from it (partition = data_version).",
)

defs = Definitions.merge(*DOMAINS, Definitions(jobs=[data_version_pipeline]))
