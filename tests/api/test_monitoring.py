"""The monitoring configuration in api/monitoring/, checked by the tools that run it: promtool (scrape
config, rules, the rules' unit tests in rules_test.yml), amtool (the rendered Alertmanager routing); the
dashboards name only metrics the API exports or the rules record."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from api.alerting import MissingSetting, render_alertmanager_config

MONITORING = Path(__file__).parents[2] / "api" / "monitoring"
DASHBOARDS = sorted((MONITORING / "dashboards").glob("*.json"))
ROOT = Path(__file__).parents[2]
EXPORTERS = [
    ROOT / "api" / "metrics.py",
    ROOT / "api" / "platform_metrics.py",
    ROOT / "occurisk_assets" / "runs" / "metrics.py",
]
SUFFIXES = ("", "_total", "_bucket", "_count", "_sum", "_created")


def known_metrics() -> set[str]:
    """Every series name the API can export, and every name a rule records."""
    declared = {m for path in EXPORTERS for m in re.findall(r'"(occurisk_[a-z_]+)"', path.read_text())}
    rules = yaml.safe_load((MONITORING / "rules.yml").read_text())
    recorded = {r["record"] for group in rules["groups"] for r in group["rules"] if "record" in r}
    return {name + suffix for name in declared for suffix in SUFFIXES} | recorded | {"up"}


def undefined_metrics(expr: str) -> set[str]:
    """The occurisk metric names in `expr` (label values left out) that nothing exports or records."""
    names = set(re.findall(r"\b(occurisk[a-z_:0-9]*)", re.sub(r'"[^"]*"', '""', expr)))
    return names - known_metrics()


def panel_queries(dashboard: Path) -> list[tuple[str, str]]:
    panels = json.loads(dashboard.read_text())["panels"]
    return [(panel["title"], target["expr"]) for panel in panels for target in panel["targets"]]


def promtool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [shutil.which("promtool"), *args], cwd=MONITORING, capture_output=True, text=True, timeout=120
    )


def test_the_scrape_config_and_rules_are_valid():
    result = promtool("check", "config", "prometheus.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_every_alert_rule_passes_its_unit_tests():
    result = promtool("test", "rules", "rules_test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_is_unit_tested_and_has_a_runbook():
    rules = yaml.safe_load((MONITORING / "rules.yml").read_text())
    alerts = {r["alert"] for group in rules["groups"] for r in group["rules"] if "alert" in r}
    tested = yaml.safe_load((MONITORING / "rules_test.yml").read_text())
    fired = {
        case["alertname"]
        for test in tested["tests"]
        for case in test["alert_rule_test"]
        if case["exp_alerts"]
    }
    assert alerts == fired
    operations = (Path(__file__).parents[2] / "docs" / "operations.md").read_text()
    for alert in alerts:
        assert f"#### {alert}" in operations, alert


def test_the_rendered_alertmanager_routing_is_valid(tmp_path):
    config = tmp_path / "alertmanager.yml"
    config.write_text(
        render_alertmanager_config(
            {
                "OCCURISK_ALERT_CHANNEL_URL": "https://chat.example/hook",
                "OCCURISK_ALERT_PAGING_URL": "https://pager.example/hook",
            }
        )
    )
    result = subprocess.run(
        [shutil.which("amtool"), "check-config", str(config)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_missing_receiver_url_is_named_never_left_empty():
    with pytest.raises(MissingSetting, match="OCCURISK_ALERT_PAGING_URL"):
        render_alertmanager_config({"OCCURISK_ALERT_CHANNEL_URL": "https://chat.example/hook"})


def test_dashboards_name_only_metrics_that_exist():
    assert {d.stem for d in DASHBOARDS} == {"system", "model-performance", "data-quality", "business"}
    for dashboard in DASHBOARDS:
        for title, expr in panel_queries(dashboard):
            assert not undefined_metrics(expr), (dashboard.name, title, undefined_metrics(expr))
    assert undefined_metrics("rate(occurisk_no_such_thing_total[5m])") == {"occurisk_no_such_thing_total"}
