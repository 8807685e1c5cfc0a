"""The dbt resource the assets run (occurisk_assets/dbt/project.DbtCli) knows the dbt version without asking
`dbt --version` at every step, and knows the same one dbt reports."""

from __future__ import annotations

import re
import subprocess

from dagster_dbt import DbtCliResource

from occurisk_assets.dbt.project import DbtCli, dbt_executable, dbt_project


def test_the_version_is_the_one_dbt_reports():
    resource = DbtCli(project_dir=dbt_project, dbt_executable=dbt_executable())
    reported = subprocess.run([dbt_executable(), "--version"], capture_output=True, text=True, check=True)
    [first] = re.findall(r"installed: (\d+\.\d+\.\d+)", reported.stdout + reported.stderr)[:1]
    assert str(resource._cli_version) == first
    # What dagster-dbt itself would have found by running it.
    assert resource._cli_version == DbtCliResource._cli_version.func(resource)


def test_no_adapter_is_made_in_the_steps_process():
    resource = DbtCli(project_dir=dbt_project, dbt_executable=dbt_executable())
    assert resource._initialize_dbt_core_adapter(["build"]) is None
