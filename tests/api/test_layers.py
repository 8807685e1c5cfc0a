"""The HTTP layer's one rule, routes → services → queries, read from the imports of the code itself: no
route module imports another route module (a page and a JSON route share a service, never each other),
pages and JSON routes meet only in services, services raise domain errors (no HTTPException), and no
two packages import each other (api → occurisk_assets, never back)."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports (for `from a import b`: a.b when that is a module of the tree, else a)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                as_path = ROOT / Path(*name.split("."))
                found.add(name if as_path.with_suffix(".py").exists() or as_path.is_dir() else node.module)
    return found


def _code(*folders: str) -> dict[str, set[str]]:
    return {
        _module_of(path): _imports(path)
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    }


IMPORTS = _code("api", "occurisk_assets")


def _is_route(module: str) -> bool:
    return module.startswith(("api.routes.", "api.pages.routes."))


def _package(module: str) -> str:
    """The node of the package graph: api's sub-packages and top modules each one; occurisk_assets one."""
    parts = module.split(".")
    return "occurisk_assets" if parts[0] == "occurisk_assets" else ".".join(parts[:2])


def test_no_route_module_imports_another():
    crossing = sorted(
        (module, imported)
        for module, imported_modules in IMPORTS.items()
        if _is_route(module)
        for imported in imported_modules
        if _is_route(imported) and imported != module
    )
    assert crossing == []


def test_pages_and_json_routes_meet_only_in_services():
    crossing = sorted(
        (module, imported)
        for module, imported_modules in IMPORTS.items()
        for imported in imported_modules
        if (module.startswith("api.pages") and imported.startswith("api.routes"))
        or (module.startswith("api.routes") and imported.startswith("api.pages"))
        or (
            module.startswith(("api.services", "api.queries"))
            and imported.startswith(("api.routes", "api.pages"))
        )
    )
    assert crossing == []


def test_services_raise_domain_errors_not_http_exceptions():
    for path in (ROOT / "api" / "services").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module in (
                "fastapi",
                "fastapi.exceptions",
                "starlette.exceptions",
            ):
                assert "HTTPException" not in {a.name for a in node.names}, path
            assert not (isinstance(node, ast.Attribute) and node.attr == "HTTPException"), path


def test_the_package_graph_has_no_cycle_and_occurisk_assets_never_imports_api():
    graph: dict[str, set[str]] = {}
    for module, imported_modules in IMPORTS.items():
        source = _package(module)
        for imported in imported_modules:
            if imported.split(".")[0] in ("api", "occurisk_assets") and _package(imported) != source:
                graph.setdefault(source, set()).add(_package(imported))
    assert "api" not in {p.split(".")[0] for p in graph.get("occurisk_assets", set())}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"a cycle between packages: {exc.args[1]}") from exc
