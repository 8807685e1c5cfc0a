from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from click.testing import CliRunner

from occurisk_assets.cli import main
from tests.serving import log_records, occurisk_serve


def test_serve_is_an_occurisk_command():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output


def test_occurisk_serve_runs_the_api_with_uvicorn(built_database, tmp_path):
    with served_as_make_run_serves(built_database, tmp_path / "serve.log") as base:
        response = httpx.get(f"{base}/api/v1/health", timeout=2)
        assert response.status_code == 200 and response.json()["active_version"] == "30.1"
        assert httpx.get(f"{base}/api/v1/occupations/15-1252").json()["title"] == "Software Developers"


@contextmanager
def served_as_make_run_serves(database: str, log: Path) -> Iterator[str]:
    """`occurisk serve` as `make run` (`occurisk up`) starts it: two workers, connecting as the deployed
    read-only API role (derived from DATABASE_URL); its log in `log`. Yields the base URL."""
    with occurisk_serve(database, "--workers", "2", log=log) as served:
        yield served.url


def test_a_second_request_is_answered_from_the_cache(built_database, tmp_path):
    """The deployed API role reads the data generation, so the response cache works (each worker has its
    own: of three requests, two reach the same worker)."""
    with served_as_make_run_serves(built_database, tmp_path / "serve.log") as base:
        answers = [httpx.get(f"{base}/api/v1/occupations/15-1252").headers.get("x-cache") for _ in range(3)]
    assert answers[0] == "miss" and "hit" in answers[1:], answers
    assert "data generation cannot be read" not in (tmp_path / "serve.log").read_text()


def test_the_access_log_names_the_route_never_the_profile_id(built_database, tmp_path):
    log = tmp_path / "serve.log"
    with served_as_make_run_serves(built_database, log) as base:
        job = {"soc_code": "43-4051", "title": "CSR", "start_year": 2000}
        profile_id = httpx.post(f"{base}/api/v1/profiles", json={"jobs": [job]}).json()["id"]
        for path in (
            f"/api/v1/profiles/{profile_id}",
            f"/api/v1/profiles/{profile_id}/exposure",
            f"/my-work/{profile_id}/exposure?lang=ko",
            f"/my-work/{profile_id}",
            f"/my-work/{profile_id}/no-such-page",
        ):
            assert httpx.get(base + path).status_code in (200, 404), path
    assert profile_id not in log.read_text()
    answered = {
        (r["method"], r["route"], r["status"]) for r in log_records(log) if r["logger"] == "api.requests"
    }
    assert answered >= {
        ("GET", "/api/v1/profiles/{profile_id}", 200),
        ("GET", "/api/v1/profiles/{profile_id}/exposure", 200),
        ("GET", "/my-work/{profile_id}/exposure", 200),
        ("GET", "/my-work/{profile_id}", 200),
        ("GET", "(no route)", 404),
    }, answered
