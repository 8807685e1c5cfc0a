import shutil
import socket
import tempfile
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.config import ApiSettings
from api.main import create_app
from occurisk_assets.assistant.profiles import new_profile_id
from occurisk_assets.lib import postgres_server, roles, schema

BAD_REQUESTS = [
    ("/api/v1/occupations", {"page_size": 101}, "page_size"),
    ("/api/v1/occupations", {"page_size": 0}, "page_size"),
    ("/api/v1/occupations", {"page": 0}, "page"),
    ("/api/v1/occupations", {"page": 10_001}, "page"),
    ("/api/v1/occupations", {"page": "first"}, "page"),
    ("/api/v1/occupations", {"sort": "salary"}, "sort"),
    ("/api/v1/occupations", {"order": "up"}, "order"),
    ("/api/v1/occupations", {"sort": "relevance"}, "sort"),  # implicit with a search, never asked for
    ("/api/v1/occupations", {"search": "x" * 101}, "search"),
    ("/api/v1/occupations", {"version": "30.1; DROP TABLE x"}, "version"),
    ("/api/v1/occupations/15-1252.00", {}, "soc_code"),
    ("/api/v1/occupations/151252", {}, "soc_code"),
    ("/api/v1/occupations/15-1252", {"tasks": 0}, "tasks"),
    ("/api/v1/occupations/15-1252", {"tasks": 101}, "tasks"),
    ("/api/v1/rankings/ai_risk", {"limit": 0}, "limit"),
    ("/api/v1/rankings/ai_risk", {"limit": 1001}, "limit"),
    ("/api/v1/rankings/ai_risk", {"order": "random"}, "order"),
    ("/api/v1/rankings/ai_risk", {"major_group": "1"}, "major_group"),
    (
        "/api/v1/rankings/ai_risk",
        {"major_group": "１５"},
        "major_group",
    ),  # fullwidth digits are not digits here
    ("/api/v1/occupations/１５-１２５２", {}, "soc_code"),
    ("/api/v1/rankings/ai_risk", {"job_zone": 6}, "job_zone"),
    ("/api/v1/rankings/ai_risk", {"min_employment": -1}, "min_employment"),
    ("/api/v1/tasks/0", {}, "task_id"),
    ("/api/v1/tasks/abc", {}, "task_id"),
    ("/api/v1/tasks/99999999999", {}, "task_id"),
]


@pytest.mark.parametrize("path,params,parameter", BAD_REQUESTS)
def test_bad_parameters_are_a_422_naming_the_parameter(client, path, params, parameter):
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"][-1] == parameter and error["msg"]


def test_only_get_is_allowed(client):
    assert client.post("/api/v1/occupations").status_code == 405
    assert client.delete("/api/v1/occupations/15-1252").status_code == 405


def test_the_api_connections_cannot_write(client):
    async def try_to_write():
        async with client.app.state.pool.connection() as conn:
            await conn.execute("CREATE TABLE marts.api_was_here (x int)")

    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        client.portal.call(try_to_write)


def test_database_down_is_a_503_not_a_500(built_database):
    unreachable = "postgresql://postgres@127.0.0.1:9/occurisk?connect_timeout=1"
    with TestClient(create_app(unreachable, ApiSettings(api_pool_min_size=1, api_pool_timeout_s=1))) as down:
        response = down.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json() == {"detail": "the database is unavailable or too slow right now; try again"}


def test_cors_origins_come_from_the_environment(monkeypatch, built_database):
    monkeypatch.setenv("OCCURISK_CORS_ORIGINS", "https://occurisk.example, http://localhost:5173")
    settings = ApiSettings()
    assert settings.cors_origins == ["https://occurisk.example", "http://localhost:5173"]
    with TestClient(create_app(built_database, settings)) as browser:
        allowed = browser.get("/api/v1/health", headers={"Origin": "https://occurisk.example"})
        other = browser.get("/api/v1/health", headers={"Origin": "https://elsewhere.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://occurisk.example"
    assert "access-control-allow-origin" not in other.headers
    with TestClient(create_app(built_database, ApiSettings(cors_origins=[]))) as closed:
        assert (
            "access-control-allow-origin"
            not in closed.get("/api/v1/health", headers={"Origin": "https://occurisk.example"}).headers
        )


def test_an_empty_database_is_reachable_but_not_built(fresh_database):
    with TestClient(create_app(fresh_database)) as empty:
        health = empty.get("/api/v1/health")
        listing = empty.get("/api/v1/occupations")
    assert health.status_code == 200 and health.json()["active_version"] is None
    assert listing.status_code == 503
    assert listing.json() == {
        "detail": "no O*NET version is active yet; load one and activate it "
        "(occurisk pipeline, occurisk versions activate VERSION)"
    }


def test_stale_pooled_connections_are_replaced_after_a_database_restart(built_database):
    """A restart ends every server connection; the pool checks a connection before handing it out."""
    api_url = roles.role_url(built_database, roles.API)
    with TestClient(create_app(api_url, ApiSettings(api_pool_min_size=3, api_pool_max_size=3))) as api:
        assert api.get("/api/v1/health").status_code == 200
        with psycopg.connect(built_database, autocommit=True) as owner:
            ended = owner.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE usename = 'occurisk_api' AND datname = current_database()"
            ).fetchone()[0]
        assert ended >= 1
        assert [api.get("/api/v1/versions").status_code for _ in range(4)] == [200] * 4


def test_the_assistant_pool_replaces_connections_a_database_restart_ended():
    """A server of its own, really restarted under the running app: the profile requests that follow all
    succeed (the assistant's pool checks a connection before handing it out, as the read pool does)."""
    home = Path(tempfile.mkdtemp(prefix="occurisk-restart-"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = postgres_server.LocalServer(pgdata=home / "postgres" / "data", port=port, fast=True)
    try:
        server.start()
        server.provision_databases({"occurisk": roles.OWNER})
        url = server.url("occurisk")
        schema.migrate(url)
        profile_id = new_profile_id()
        with psycopg.connect(url, autocommit=True) as owner:
            owner.execute(
                "INSERT INTO assistant.profile (id, data_version) VALUES (%s, '30.1')", [profile_id]
            )
        with TestClient(create_app(url, ApiSettings(api_pool_min_size=2, api_pool_max_size=4))) as api:
            assert [api.get(f"/api/v1/profiles/{profile_id}").status_code for _ in range(3)] == [200] * 3
            server.stop()
            server.start()
            statuses = [api.get(f"/api/v1/profiles/{profile_id}").status_code for _ in range(20)]
        assert statuses == [200] * 20
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)
