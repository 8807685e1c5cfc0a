"""The `occurisk` command group: every domain command is reachable, the lazy table matches the domains, and
listing or light commands import no heavy library."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from occurisk_assets.cli import COMMANDS, main
from occurisk_assets.lib.settings import PROJECT_ROOT


def test_command_table_matches_each_domains_commands():
    declared = {}
    for module_name in {sub.module for sub in COMMANDS.values()}:
        for command in importlib.import_module(module_name).commands:
            declared[command.name] = (module_name, command.get_short_help_str(limit=1000))
    assert declared == {name: (sub.module, sub.summary) for name, sub in COMMANDS.items()}


def test_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in [*COMMANDS, "db"]:
        assert f"  {name} " in result.output
    assert "Print the detail of one occupation." in result.output


# Runs `occurisk ARGS` in a fresh interpreter, then prints which heavy libraries it imported.
HEAVY_IMPORTS_PROBE = """
import sys
from occurisk_assets.cli import main
try:
    main(sys.argv[1:], prog_name="occurisk")
except SystemExit:
    pass
print("HEAVY:", ",".join(m for m in ("dagster", "dagster_dbt", "dbt", "scipy", "sklearn") if m in sys.modules))
"""


@pytest.mark.parametrize("args", [["--help"], ["versions", "list"], ["db", "url"], ["db", "status"]])
def test_help_and_light_commands_import_no_heavy_library(fresh_database, args):
    result = subprocess.run(
        [sys.executable, "-c", HEAVY_IMPORTS_PROBE, *args],
        cwd=PROJECT_ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "HEAVY: "
    if args == ["versions", "list"]:
        assert "no version loaded yet" in result.stdout
    if args == ["db", "url"]:
        assert result.stdout.startswith(os.environ["DATABASE_URL"].split("?")[0])


def test_unknown_occupation_is_a_clear_error(fresh_database):
    from occurisk_assets.onet.loader import load_release
    from occurisk_assets.onet.sources import resolve_release

    load_release(resolve_release("30.1"))
    result = CliRunner().invoke(main, ["top-tasks", "99-9999.00", "--version", "30.1"])
    assert result.exit_code == 1 and "no occupation 99-9999.00 in O*NET 30.1" in result.output
    result = CliRunner().invoke(main, ["top-tasks", "15-1252.00", "--version", "30.1", "-n", "3"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "ordered by task type (Core, then Supplemental) and release order" in lines[0]
    assert len(lines) == 4 and lines[1].startswith("  1. [")
