"""The `occurisk` command group: every domain command is reachable, and the lazy map matches the domains."""

from __future__ import annotations

import importlib

from click.testing import CliRunner

from occurisk_assets.cli import COMMAND_MODULES, main


def test_command_map_matches_each_domains_commands():
    declared = {}
    for module_name in set(COMMAND_MODULES.values()):
        for command in importlib.import_module(module_name).commands:
            declared[command.name] = module_name
    assert declared == COMMAND_MODULES


def test_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in [*COMMAND_MODULES, "db"]:
        assert f"  {name} " in result.output


def test_unknown_occupation_is_a_clear_error(fresh_database):
    from occurisk_assets.defs.onet.loader import load_release
    from occurisk_assets.defs.onet.sources import resolve_release

    load_release(resolve_release("30.1"))
    result = CliRunner().invoke(main, ["top-tasks", "99-9999.00", "--version", "30.1"])
    assert result.exit_code == 1 and "no occupation 99-9999.00 in O*NET 30.1" in result.output
    result = CliRunner().invoke(main, ["top-tasks", "15-1252.00", "--version", "30.1", "-n", "3"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "ordered by task type (Core, then Supplemental) and release order" in lines[0]
    assert len(lines) == 4 and lines[1].startswith("  1. [")
