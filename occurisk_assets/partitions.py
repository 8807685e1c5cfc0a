"""Partitions shared across domains."""

from dagster import DynamicPartitionsDefinition

# One partition per O*NET release, keyed like "30.1". Added by `occurisk pipeline`, the release sensor,
# or the Dagster UI; every O*NET-derived asset is partitioned by it.
data_version_partitions = DynamicPartitionsDefinition(name="data_version")
