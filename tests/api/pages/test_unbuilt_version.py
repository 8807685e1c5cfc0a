"""`?version=` naming a version that is not served: the pages say why, as the API's 409 and 404 do, in the
page's language (it was a blank "something went wrong" page)."""

from __future__ import annotations

import pytest


@pytest.fixture
def unbuilt_versions(db_conn):
    """29.8 loaded and still building, 29.9 whose build failed; gone again afterwards."""
    db_conn.execute(
        "INSERT INTO core.data_version (id, loaded_at, build_status) "
        "VALUES ('29.8', now(), 'building'), ('29.9', now(), 'failed')"
    )
    yield
    db_conn.execute("DELETE FROM core.data_version WHERE id IN ('29.8', '29.9')")


@pytest.mark.parametrize("path", ["/", "/occupation/15-1252", "/explore"])
def test_a_version_still_building_or_failed_is_named_in_english_and_korean(site, unbuilt_versions, path):
    building = site.get(path, params={"version": "29.8"})
    assert building.status_code == 409
    assert "O*NET version 29.8 is still being built" in building.text
    failed = site.get(path, params={"version": "29.9", "lang": "ko"})
    assert failed.status_code == 409
    assert "O*NET 버전 29.9은(는) 만들지 못해 보여 줄 수 없습니다" in failed.text
    api = site.get("/api/v1/occupations/15-1252", params={"version": "29.8"})
    assert api.status_code == 409 and "build status: building" in api.json()["detail"]


def test_an_unknown_version_is_a_404_naming_it(site):
    page = site.get("/occupation/15-1252", params={"version": "29.7"})
    assert page.status_code == 404 and "O*NET version “29.7” is not loaded." in page.text
    korean = site.get("/occupation/15-1252", params={"version": "29.7", "lang": "ko"})
    assert korean.status_code == 404 and "O*NET 버전 “29.7”은(는) 없습니다." in korean.text
