"""`occurisk dbt-parse` writes the manifest with no database reachable."""

from __future__ import annotations

import json

from click.testing import CliRunner

from occurisk_assets.cli import main


def test_dbt_parse_needs_no_database(tmp_path, monkeypatch):
    monkeypatch.setenv("OCCURISK_PGPORT", "1")  # nothing listens there
    monkeypatch.setenv("OCCURISK_PGHOST", "127.0.0.1")
    result = CliRunner().invoke(main, ["dbt-parse", "--target-path", str(tmp_path / "target")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    models = {node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    assert {
        "occupation_master",
        "task_statements",
        "occupation_task_ratings",
        "task_catalog",
        "occupation_task_weight",
        "task_ai_ensemble",
        "occupation_ai_score",
    } <= models
