"""The dbt resource the assets run (occurisk_assets/dbt/project.DbtCli) knows the dbt version without asking
`dbt --version` at every step, and knows the same one dbt reports; under `dagster dev` the project is parsed
again only when a project file is newer than its manifest."""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest
from dagster_dbt import DbtCliResource

from occurisk_assets.dbt.project import (
    DbtCli,
    dbt_executable,
    dbt_project,
    manifest_is_stale,
    warm_dbt_executable,
)


@pytest.mark.parametrize("executable", [dbt_executable(), warm_dbt_executable()])
def test_the_version_is_the_one_dbt_reports(executable):
    resource = DbtCli(project_dir=dbt_project, dbt_executable=executable)
    reported = subprocess.run([executable, "--version"], capture_output=True, text=True, check=True)
    [first] = re.findall(r"installed: (\d+\.\d+\.\d+)", reported.stdout + reported.stderr)[:1]
    assert str(resource._cli_version) == first
    # What dagster-dbt itself would have found by running it.
    assert resource._cli_version == DbtCliResource._cli_version.func(resource)


def test_no_adapter_is_made_in_the_steps_process():
    resource = DbtCli(project_dir=dbt_project, dbt_executable=dbt_executable())
    assert resource._initialize_dbt_core_adapter(["build"]) is None


def test_the_manifest_is_stale_when_a_project_file_is_newer(tmp_path):
    (tmp_path / "models" / "marts").mkdir(parents=True)
    model = tmp_path / "models" / "marts" / "scores.sql"
    model.write_text("select 1")
    assert manifest_is_stale(tmp_path)  # never parsed

    (tmp_path / "target").mkdir()
    manifest = tmp_path / "target" / "manifest.json"
    manifest.write_text("{}")
    past = time.time() - 60
    os.utime(model, (past, past))
    assert not manifest_is_stale(tmp_path)

    # dbt's own output (a build's folders under target/, its logs) never makes the manifest stale
    (tmp_path / "target" / "onet_dbt_models-1").mkdir()
    (tmp_path / "target" / "onet_dbt_models-1" / "compiled.sql").write_text("select 1")
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "dbt.log").write_text("")
    assert not manifest_is_stale(tmp_path)

    model.write_text("select 2")
    os.utime(model, (time.time() + 1, time.time() + 1))
    assert manifest_is_stale(tmp_path)
