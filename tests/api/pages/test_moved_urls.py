"""Every step of a person's work is under /my-work/{id}/…: the old /profile/{id}/… addresses answer with a
permanent redirect to the new one (query string kept), and a page at the new address is the page."""

from __future__ import annotations

import pytest

from api.pages.profile_steps import STEPS
from tests.api.pages.forms import post_form

OLD_TO_NEW = {
    "exposure": "exposure",
    "transitions": "transitions",
    "resume": "resume/draft",
    "cover-letter": "cover-letter",
    "postings": "postings",
}


@pytest.fixture(scope="module")
def profile_id(site_session) -> str:
    job = {"soc_code": "43-4051", "title": "Customer service rep", "start_year": 2000, "end_year": 2024}
    created = site_session.post("/api/v1/profiles", json={"jobs": [job]})
    assert created.status_code == 201, created.text
    return created.json()["id"]


@pytest.mark.parametrize(("old", "new"), OLD_TO_NEW.items())
def test_an_old_result_page_address_redirects_permanently_to_my_work(site, profile_id, old, new):
    response = site.get(f"/profile/{profile_id}/{old}?lang=ko", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"/my-work/{profile_id}/{new}?lang=ko"
    assert response.headers["cache-control"] == "no-store"  # the address holds the profile's id
    followed = site.get(response.headers["location"])
    assert followed.status_code == 200 and 'aria-current="step"' in followed.text


def test_a_form_sent_to_an_old_address_keeps_its_method(site, profile_id):
    old = f"/profile/{profile_id}/resume/text"
    response = post_form(
        site, f"/my-work/{profile_id}/cover-letter", old, {"text": "x"}, follow_redirects=False
    )
    assert response.status_code == 308
    assert response.headers["location"] == f"/my-work/{profile_id}/resume/draft/text"


@pytest.mark.parametrize("old", ["exposure/x", "anything", "postings/abc/outcome"])
def test_no_redirect_for_an_address_that_never_was(site, profile_id, old):
    assert site.get(f"/profile/{profile_id}/{old}", follow_redirects=False).status_code == 404
    assert site.get(f"/profile/{'x' * 5}/exposure", follow_redirects=False).status_code == 404


def test_every_step_of_the_work_lives_under_my_work():
    assert [url for url, _ in STEPS if not url.startswith("/my-work/{id}")] == []
