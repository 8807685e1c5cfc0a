"""Every answer under a profile id (its only credential) is `Cache-Control: no-store`: the JSON, the pages,
the downloads, and the errors — for every route of the app whose path holds `{profile_id}`."""

from __future__ import annotations

import pkgutil
import re
from importlib import import_module

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import api.routes
from api.main import API_PREFIX, create_app
from api.pages import app as web_app

CSR = "43-4051"
PARAMETERS = {"index": "0", "fmt": "txt", "posting_id": "1"}


def profile_routes() -> list[tuple[str, str]]:
    """(method, path template) of every route holding a profile id: the API's routers (under /api/v1) and
    the pages'."""
    api_modules = [import_module(f"api.routes.{m.name}") for m in pkgutil.iter_modules(api.routes.__path__)]
    routers = [(API_PREFIX, m.router) for m in api_modules] + [("", m.router) for m in web_app.PAGE_MODULES]
    return sorted(
        (method, prefix + route.path)
        for prefix, router in routers
        for route in router.routes
        if isinstance(route, APIRoute) and "{profile_id}" in route.path
        for method in route.methods
    )


def test_every_answer_under_a_profile_is_no_store(built_database):
    with TestClient(create_app(built_database)) as client:
        created = client.post(
            "/api/v1/profiles", json={"jobs": [{"soc_code": CSR, "title": "CSR", "start_year": 2000}]}
        )
        assert created.headers["cache-control"] == "no-store"
        profile_id = created.json()["id"]
        routes = profile_routes()
        assert len(routes) > 30 and ("GET", "/api/v1/profiles/{profile_id}/exposure") in routes
        # DELETE last: it removes the profile the others read.
        for method, template in sorted(routes, key=lambda r: r[0] == "DELETE"):
            path = template.replace("{profile_id}", profile_id)
            path = re.sub(r"\{(\w+)\}", lambda m: PARAMETERS[m.group(1)], path)
            response = client.request(method, path, follow_redirects=False)
            assert response.headers.get("cache-control") == "no-store", (
                method,
                template,
                response.status_code,
            )
            if method == "GET" and template in (
                "/api/v1/profiles/{profile_id}",
                "/api/v1/profiles/{profile_id}/exposure",
                "/my-work/{profile_id}/exposure",
            ):
                assert response.status_code == 200, template
        unknown = client.get("/api/v1/profiles/" + "x" * 32)
        assert unknown.status_code in (404, 422) and unknown.headers["cache-control"] == "no-store"
