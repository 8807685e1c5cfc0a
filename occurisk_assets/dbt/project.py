"""The dbt project (dbt_project/) as Dagster sees it, and the dbt executable that runs it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from occurisk_assets.lib.settings import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


def dbt_executable() -> str:
    """The dbt installed beside this interpreter (.venv/bin/dbt), so callers need not have the venv on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


# profiles.yml sits in the project folder and reads OCCURISK_PG* (db.export_connection_env()).
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
