"""CSRF protection of the pages' forms (api/pages/csrf.py): every page route checks the token of a POST; a POST
without it, with a forged one, or with another browser's gets the 403 page and changes nothing."""

from __future__ import annotations

import re
import stat

import pytest
from fastapi.testclient import TestClient

from api.pages import app as web_app
from api.pages import csrf
from tests.api.pages.forms import form_token
from tests.built_platform import DATA_VERSION

API = "/api/v1"
HISTORY = {"jobs": [{"soc_code": "43-4051", "title": "Customer service representative", "start_year": 2001}]}


@pytest.fixture
def profile_id(site) -> str:
    created = site.post(f"{API}/profiles", json=HISTORY)
    assert created.status_code == 201, created.text
    return created.json()["id"]


def test_every_page_form_refuses_a_post_without_the_token(site):
    """Each POST route of every page module, sent without a token: the 403 page, before anything runs."""
    posts = [
        re.sub(r"\{[a-z_]+\}", lambda m: "A" * 32 if m.group(0) == "{profile_id}" else "0", route.path)
        for module in web_app.PAGE_MODULES
        for route in module.router.routes
        if "POST" in route.methods
    ]
    assert len(posts) >= 1
    for path in posts:
        refused = site.post(path, data={"anything": "x"})
        assert refused.status_code == 403, path
        assert "This form could not be sent" in refused.text, path


def test_post_without_the_token_is_refused_and_deletes_nothing(site, profile_id):
    refused = site.post(f"/my-work/{profile_id}/delete", data={})
    assert refused.status_code == 403
    assert "This form could not be sent" in refused.text and "reload the page" in refused.text
    assert "Nothing was saved" in refused.text
    assert site.get(f"{API}/profiles/{profile_id}").status_code == 200


def test_forged_and_other_browsers_tokens_are_refused(site, profile_id, site_session):
    form = site.get(f"/my-work/{profile_id}/delete")
    assert form.status_code == 200 and form.headers["cache-control"] == "no-store"
    token = form_token(form.text)
    assert site.cookies.get(csrf.COOKIE) == token
    nonce = token.split(".")[0]
    # A token of our own making with the cookie set to match: the signature gives it away.
    site.cookies.set(csrf.COOKIE, f"{nonce}.forged")
    assert (
        site.post(f"/my-work/{profile_id}/delete", data={"csrf_token": f"{nonce}.forged"}).status_code == 403
    )
    # A real token from another browser, not this browser's cookie.
    other = TestClient(site.app)
    other.cookies.set(csrf.COOKIE, csrf.new_token())
    assert other.post(f"/my-work/{profile_id}/delete", data={"csrf_token": token}).status_code == 403
    assert site.get(f"{API}/profiles/{profile_id}").status_code == 200


def test_the_form_with_its_token_deletes_everything(site, profile_id, db_conn):
    form = site.get(f"/my-work/{profile_id}/delete?lang=ko")
    assert "내 정보를 모두 지울까요?" in form.text
    done = site.post(
        f"/my-work/{profile_id}/delete", data={"csrf_token": form_token(form.text)}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/my-work/deleted"
    assert (
        db_conn.execute("SELECT count(*) FROM assistant.profile WHERE id = %s", [profile_id]).fetchone()[0]
        == 0
    )
    assert (
        db_conn.execute("SELECT count(*) FROM assistant.job WHERE profile_id = %s", [profile_id]).fetchone()[
            0
        ]
        == 0
    )
    assert site.get(f"{API}/profiles/{profile_id}").status_code == 404
    assert "모두 지웠습니다" in site.get("/my-work/deleted").text


def test_the_secret_is_a_private_file_made_once(tmp_path, monkeypatch):
    monkeypatch.delenv("OCCURISK_CSRF_SECRET", raising=False)
    monkeypatch.setattr(csrf, "secret_file", lambda: tmp_path / "secrets" / "csrf.key")
    csrf.site_secret.cache_clear()
    try:
        token = csrf.new_token()
        path = tmp_path / "secrets" / "csrf.key"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert csrf.is_signed(token) and not csrf.is_signed(token + "x")
        csrf.site_secret.cache_clear()
        assert csrf.is_signed(token), "the secret changed between two reads of the file"
        monkeypatch.setenv("OCCURISK_CSRF_SECRET", "another secret")
        csrf.site_secret.cache_clear()
        assert not csrf.is_signed(token)
    finally:
        csrf.site_secret.cache_clear()


def test_pages_with_a_form_are_never_cached(site, profile_id):
    first = site.get(f"/my-work/{profile_id}/delete")
    site.cookies.clear()
    second = site.get(f"/my-work/{profile_id}/delete")
    assert "x-cache" not in first.headers or first.headers["x-cache"] == "miss"
    assert form_token(first.text) != form_token(second.text)
    assert DATA_VERSION in first.text
