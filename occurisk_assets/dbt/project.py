"""The dbt project (dbt_project/) as Dagster sees it, the dbt executable that runs it, and the resource that
runs it from the dbt assets."""

from __future__ import annotations

import importlib.metadata
import os
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


def parse_command(executable: str, target_path: str | Path) -> list[str]:
    """`dbt parse` of dbt_project/ into `target_path` (relative to the project, or absolute) with `executable`."""
    folder = str(DBT_PROJECT_DIR)
    return [
        executable,
        "parse",
        "--project-dir",
        folder,
        "--profiles-dir",
        folder,
        "--target-path",
        str(target_path),
    ]


def warm_dbt_executable() -> str:
    """`occurisk-dbt` (dbt/warm.py: dbt imported once, forked per call) when installed, else dbt itself."""
    warm = Path(sys.executable).with_name("occurisk-dbt")
    return str(warm) if warm.exists() else dbt_executable()


# profiles.yml sits in the project folder and reads OCCURISK_PG* (db.export_connection_env()).
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# The files dbt parses into manifest.json; its target/, logs/ and installed packages are its own output.
PROJECT_FILE_SUFFIXES = {".sql", ".yml", ".yaml", ".csv", ".md"}
OUTPUT_FOLDERS = {"target", "logs", "dbt_packages"}


def manifest_is_stale(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    """True when manifest.json is missing or older than a project file, as `make install` decides."""
    manifest = project_dir / "target" / "manifest.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    for folder, subfolders, files in os.walk(project_dir):
        if folder == str(project_dir):
            subfolders[:] = [name for name in subfolders if name not in OUTPUT_FOLDERS]
        for name in files:
            if (
                Path(name).suffix in PROJECT_FILE_SUFFIXES
                and os.stat(os.path.join(folder, name)).st_mtime > built
            ):
                return True
    return False


# dagster-dbt's prepare_if_dev parses the project in every process that loads the definitions under `dagster
# dev` (the code server, each run's worker and its step server: five `dbt parse` and five `dbt --version`,
# 44 s of CPU, in the two-run backfill test). Parsing only when a project file changed keeps `occurisk up`
# current after an edit.
if dbt_project.preparer.using_dagster_dev() and manifest_is_stale():
    dbt_project.preparer.prepare(dbt_project)


class DbtCli(DbtCliResource):
    """dagster-dbt's DbtCliResource without two costs it paid at every dbt step, about 6 s of CPU each time (a
    quarter of a build's dbt steps, docs/benchmarks.md): `dbt --version` in a subprocess, which only tells the
    version of the dbt-core installed beside this interpreter; and a dbt adapter with every macro loaded in
    the step's own process, which dagster-dbt uses only to fetch row counts and column metadata, and no asset
    here asks for them."""

    @cached_property
    def _cli_version(self) -> version.Version:
        beside = Path(sys.executable)
        if Path(self.dbt_executable) in {beside.with_name("dbt"), beside.with_name("occurisk-dbt")}:
            return version.parse(importlib.metadata.version("dbt-core"))
        return DbtCliResource._cli_version.func(self)  # another dbt: ask it, as dagster-dbt does

    def _initialize_dbt_core_adapter(self, args) -> None:
        return None
