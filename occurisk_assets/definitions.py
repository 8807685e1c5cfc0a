"""The one Dagster code location: every domain's definitions merged, plus the jobs that span domains."""

from dagster import AssetSelection, Definitions, define_asset_job

from occurisk_assets import db
from occurisk_assets.defs.onet.definitions import defs as onet_defs
from occurisk_assets.partitions import data_version_partitions

# dbt (profiles.yml) and dagster.yaml read the connection from the environment.
db.export_connection_env()

# Everything derived from one O*NET release, in dependency order: raw tables → dbt marts → scores → ensembles.
data_version_pipeline = define_asset_job(
    "data_version_pipeline",
    selection=AssetSelection.all(),
    partitions_def=data_version_partitions,
    description="Load one O*NET release and build everything derived from it (partition = data_version).",
)

defs = Definitions.merge(
    onet_defs,
    Definitions(jobs=[data_version_pipeline]),
)
