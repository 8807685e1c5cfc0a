"""Numbers typed into the pages' forms and URLs are ASCII digits: '²' and '٣' pass str.isdigit() (int()
fails on the first and reads the second as 3) and were a 500 on four routes. Each answers a 400 page naming
the field to put right, and saves nothing."""

from __future__ import annotations

import pytest

from tests.api.pages.forms import form_fields, post_form

API = "/api/v1"
CSR = "43-4051"
START_YEAR_MISSING = 'href="#start_year">Enter the year you started, like 1998</a>'


@pytest.fixture
def profile_id(site) -> str:
    created = site.post(
        f"{API}/profiles", json={"jobs": [{"soc_code": CSR, "title": "CSR", "start_year": 2000}]}
    )
    return created.json()["id"]


def jobs_of(site, profile_id: str) -> list[dict]:
    return site.get(f"{API}/profiles/{profile_id}").json()["jobs"]


@pytest.mark.parametrize("digit", ["²", "٣"])
def test_a_year_of_other_digits_is_named_on_the_details_pages(site, profile_id, digit):
    new_job = f"/my-work/{profile_id}/jobs/details"
    added = post_form(
        site, f"{new_job}?soc={CSR}", new_job, {"soc_code": CSR, "title": "CSR", "start_year": digit * 4}
    )
    assert added.status_code == 400 and START_YEAR_MISSING in added.text
    job = f"/my-work/{profile_id}/jobs/0/details"
    changed = post_form(site, job, job, {"title": "CSR", "start_year": "2000", "end_year": "20" + digit * 2})
    assert changed.status_code == 400
    assert 'href="#end_year">Enter the year you stopped, like 2020, or leave it empty</a>' in changed.text
    assert jobs_of(site, profile_id) == jobs_of(site, profile_id)[:1]
    assert jobs_of(site, profile_id)[0]["end_year"] is None


@pytest.mark.parametrize("digit", ["²", "٣"])
def test_a_task_id_of_other_digits_is_named_on_the_tasks_page(site, profile_id, digit):
    tasks = f"/my-work/{profile_id}/jobs/0/tasks"
    refused = post_form(site, tasks, tasks, {"task": [digit], "duties": "Kept records"})
    assert refused.status_code == 400
    assert 'href="#task-0">One of the ticked tasks is not a task of this job' in refused.text
    assert jobs_of(site, profile_id)[0]["duties"] == []


@pytest.mark.parametrize("digit", ["²", "٣"])
def test_other_digits_on_the_resume_confirm_page_are_named(site, profile_id, digit):
    resume = "Customer Service Representative, Acme Telecom, 1999 - 2024\n- Answered calls about bills"
    found = post_form(site, "/my-work/resume", "/my-work/resume", {"text": resume, "action": "read"})
    sent = form_fields(found.text)
    for changed, named in (
        ({"start_year-0": [digit * 4]}, 'href="#start_year-0">Enter the year you started'),
        ({"task-0": [digit], "offered-task-0": [digit]}, "One of the ticked tasks is not a task"),
        ({"jobs": [digit]}, 'href="#keep-0">Keep at least one job, or go back</a>'),
    ):
        refused = site.post(f"/my-work/{profile_id}/resume/confirm", data=sent | changed)
        assert refused.status_code == 400 and named in refused.text, changed
    assert len(jobs_of(site, profile_id)) == 1


@pytest.mark.parametrize("digit", ["²", "٣"])
def test_other_digits_on_the_postings_page_are_named(site, profile_id, digit):
    postings = f"/my-work/{profile_id}/postings"
    shown = site.get(postings, params={"saved": digit})
    assert shown.status_code == 400 and "saved" in shown.text
    # (With no job ads the postings page has no form: the token comes from another page of the profile.)
    tasks = f"/my-work/{profile_id}/jobs/0/tasks"
    marked = post_form(site, tasks, f"{postings}/1/outcome", {"outcome": "applied", "page": digit})
    assert marked.status_code == 400 and "is not a valid page" in marked.text
