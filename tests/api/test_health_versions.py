import psycopg
import pytest

from api.schemas.common import AEI_ATTRIBUTION
from occurisk_assets.lifecycle.activation import UnknownVersion, activate
from occurisk_assets.onet.loader import load_release
from occurisk_assets.onet.sources import resolve_release
from tests.built_platform import raw_version_served

ATTRIBUTION_30_1 = (
    "This product includes information from the O*NET 30.1 Database by the U.S. Department of "
    "Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license."
)
# Every answer's meta also credits the observed-use figures (issue 25), whether or not it shows them.
META_30_1 = {
    "data_version": "30.1",
    "attribution": ATTRIBUTION_30_1,
    "observed_use_attribution": AEI_ATTRIBUTION,
}


def test_health_reports_the_active_version(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "reachable",
        "active_version": "30.1",
        "meta": META_30_1,
    }


def test_versions_lists_the_loaded_version_with_its_counts(client, db_conn):
    scored = db_conn.execute(
        "SELECT count(*) FROM marts.occupation_ai_score WHERE data_version = '30.1' AND mean IS NOT NULL"
    ).fetchone()[0]
    body = client.get("/api/v1/versions").json()
    assert body["meta"] == META_30_1
    item = next(item for item in body["items"] if item["id"] == "30.1")
    assert (item["release_date"], item["is_active"]) == ("2025-12-01", True)
    assert item["n_occupations"] == 867  # distinct SOC codes of Occupation Data.txt 30.1
    assert item["n_scored"] == scored > 0


def test_docs_and_openapi_carry_the_attribution(client):
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    assert ATTRIBUTION_30_1 in schema["info"]["description"]
    assert {
        "/api/v1/health",
        "/api/v1/versions",
        "/api/v1/occupations",
        "/api/v1/occupations/{soc_code}",
        "/api/v1/rankings/ai_risk",
        "/api/v1/tasks/{task_id}",
    } <= set(schema["paths"])


def test_active_version_switch_is_served_without_restart(client, built_database):
    """30.0 loaded (its raw files only, no marts yet) is not served: not listed, ?version=30.0 is a 409 with
    its build status, it cannot be activated. Once complete (as if built), activating it changes what the
    running API serves at once, ?version=30.1 still reaches 30.1, and switching back restores it."""
    load_release(resolve_release("30.0"), url=built_database)
    building = client.get("/api/v1/rankings/ai_risk", params={"version": "30.0"})
    assert building.status_code == 409
    assert building.json()["detail"] == (
        "O*NET version '30.0' is not completely built (build status: building); served versions: 30.1"
    )
    assert [v["id"] for v in client.get("/api/v1/versions").json()["items"]] == ["30.1"]
    with psycopg.connect(built_database) as conn, pytest.raises(UnknownVersion, match="not completely built"):
        activate(conn, "30.0")
    with raw_version_served(built_database, "30.0"):
        assert client.get("/api/v1/health").json()["active_version"] == "30.0"
        body = client.get("/api/v1/occupations").json()
        assert body["meta"]["data_version"] == "30.0"
        assert body["meta"]["attribution"].startswith(
            "This product includes information from the O*NET 30.0 "
        )
        assert body["pagination"]["total"] == 0
        assert client.get("/api/v1/occupations/15-1252").status_code == 404
        pinned = client.get("/api/v1/occupations/15-1252", params={"version": "30.1"})
        assert pinned.status_code == 200 and pinned.json()["meta"]["data_version"] == "30.1"
        assert [v["id"] for v in client.get("/api/v1/versions").json()["items"]] == ["30.0", "30.1"]
    assert [v["id"] for v in client.get("/api/v1/versions").json()["items"]] == ["30.1"]
    assert client.get("/api/v1/health").json()["active_version"] == "30.1"
    assert client.get("/api/v1/occupations").json()["pagination"]["total"] == 867


def test_unknown_version_is_a_404_naming_the_loaded_ones(client):
    response = client.get("/api/v1/occupations", params={"version": "99.9"})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("O*NET version '99.9' is not loaded (served versions: ")
