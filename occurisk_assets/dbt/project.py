"""The dbt project (dbt_project/) as Dagster sees it, the dbt executable that runs it, and the resource that
runs it from the dbt assets."""

from __future__ import annotations

import importlib.metadata
import shutil
import sys
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from occurisk_assets.lib.settings import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


def dbt_executable() -> str:
    """The dbt installed beside this interpreter (.venv/bin/dbt), so callers need not have the venv on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


# profiles.yml sits in the project folder and reads OCCURISK_PG* (db.export_connection_env()).
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()


class DbtCli(DbtCliResource):
    """dagster-dbt's DbtCliResource without two costs it paid at every dbt step, about 6 s of CPU each time (a
    quarter of a build's dbt steps, docs/benchmarks.md): `dbt --version` in a subprocess, which only tells the
    version of the dbt-core installed beside this interpreter; and a dbt adapter with every macro loaded in
    the step's own process, which dagster-dbt uses only to fetch row counts and column metadata, and no asset
    here asks for them."""

    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable) == Path(sys.executable).with_name("dbt"):
            return version.parse(importlib.metadata.version("dbt-core"))
        return DbtCliResource._cli_version.func(self)  # another dbt: ask it, as dagster-dbt does

    def _initialize_dbt_core_adapter(self, args) -> None:
        return None
