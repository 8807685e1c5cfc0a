"""The assistant's profile-building pages (api/pages/routes/assistant_history.py) through the app, as a browser
without JavaScript sends them: error summaries that name the field and save nothing, a corrupt résumé named
on the page, and a spoken duty uploaded as a recording (espeak-ng) put into the duties field."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest

from tests.api.pages.forms import form_fields, form_token, post_form

API = "/api/v1"
CSR = "43-4051"


def test_unknown_task_ids_and_missing_year_save_nothing(site):
    empty = post_form(
        site, f"/my-work/jobs/details?soc={CSR}", "/my-work/jobs/details", {"soc_code": CSR, "title": "CSR"}
    )
    assert (
        empty.status_code == 400
        and 'href="#start_year">Enter the year you started, like 1998</a>' in empty.text
    )
    created = site.post(
        f"{API}/profiles", json={"jobs": [{"soc_code": CSR, "title": "CSR", "start_year": 2000}]}
    )
    profile_id = created.json()["id"]
    tasks_page = f"/my-work/{profile_id}/jobs/0/tasks"
    refused = post_form(site, tasks_page, tasks_page, {"task": ["999999999"], "duties": "Kept records"})
    assert (
        refused.status_code == 400
        and 'href="#task-0">One of the ticked tasks is not a task of this job' in refused.text
    )
    assert site.get(f"{API}/profiles/{profile_id}").json()["jobs"][0]["duties"] == []


def test_a_bad_year_on_the_resume_confirm_page_shows_it_again_with_what_was_typed(site, db_conn):
    resume = "Customer Service Representative, Acme Telecom, 1999 - 2024\n- Answered calls about bills"
    found = post_form(site, "/my-work/resume", "/my-work/resume", {"text": resume, "action": "read"})
    assert found.status_code == 200, found.text[:500]
    sent = form_fields(found.text)
    offered, proposed = sent["offered-soc-0"], sent["task-0"]
    assert sent["soc-0"] == [offered[0]] and len(offered) > 1 and proposed
    profiles_before = db_conn.execute("SELECT count(*) FROM assistant.profile").fetchone()[0]
    sent |= {"start_year-0": ["19x9"], "soc-0": [offered[1]], "duties-0": ["Answered calls about bills"]}
    refused = site.post("/my-work/resume/confirm", data=sent)
    assert refused.status_code == 400
    assert db_conn.execute("SELECT count(*) FROM assistant.profile").fetchone()[0] == profiles_before
    assert 'href="#start_year-0">Enter the year you started, like 1998</a>' in refused.text
    assert "<title>Error: " in refused.text
    again = form_fields(refused.text)
    # Everything as typed and chosen, to put right: the year, the other occupation, the same offers.
    assert again["start_year-0"] == ["19x9"] and again["employer-0"] == ["Acme Telecom"]
    assert again["soc-0"] == [offered[1]] and again["offered-soc-0"] == offered
    assert again["task-0"] == proposed and again["duties-0"] == ["Answered calls about bills"]
    assert 'aria-describedby="start_year-0-error"' in refused.text
    # Put right: saved, with the occupation chosen; the tasks proposed for the first one do not apply.
    saved = site.post(
        "/my-work/resume/confirm", data=again | {"start_year-0": ["1999"]}, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text[:500]
    profile_id = saved.headers["location"].rsplit("/", 1)[1]
    job = site.get(f"{API}/profiles/{profile_id}").json()["jobs"][0]
    assert (job["soc_code"], job["start_year"], job["end_year"], job["employer"]) == (
        offered[1],
        1999,
        2024,
        "Acme Telecom",
    )
    assert job["duties"] == ["Answered calls about bills"] and job["task_ids"] == []


def test_a_corrupt_resume_file_is_named_on_the_page_in_english_and_korean(site):
    page = post_form(
        site,
        "/my-work/resume",
        "/my-work/resume",
        {"text": ""},
        files={"file": ("resume.docx", io.BytesIO(b"not a zip at all"), "application/octet-stream")},
    )
    assert page.status_code == 400
    problem = '<span lang="en">resume.docx: not a valid .docx (corrupt zip)</span>'
    assert f'href="#file">The file could not be read: {problem}</a>' in page.text
    # On a Korean page the reader's English words are marked as English for screen readers.
    korean = post_form(
        site,
        "/my-work/resume?lang=ko",
        "/my-work/resume",
        {"text": ""},
        files={"file": ("resume.docx", io.BytesIO(b"not a zip at all"), "application/octet-stream")},
    )
    assert f'href="#file">파일을 읽을 수 없습니다: {problem}</a>' in korean.text
    assert f"파일을 읽을 수 없습니다: {problem}</p>" in korean.text  # the message above the field too


def test_a_recording_fills_the_duties_field_without_javascript(site, tmp_path):
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed: run `make os-packages`")
    wav = tmp_path / "duty.wav"
    spoken = "I answered customer calls about their bills."
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(wav), spoken], check=True, timeout=60)
    profile_id = site.post(f"{API}/profiles", json={"jobs": [{"soc_code": CSR, "title": "CSR"}]}).json()["id"]
    tasks_page = f"/my-work/{profile_id}/jobs/0/tasks"
    token = form_token(site.get(tasks_page).text)
    filled = site.post(
        tasks_page,
        data={"csrf_token": token, "duties": "Kept records", "action": "transcribe"},
        files={"audio": ("duty.wav", wav.read_bytes(), "audio/wav")},
    )
    assert filled.status_code == 200, filled.text[:500]
    textarea = re.search(r'<textarea[^>]*id="duties"[^>]*>([^<]*)</textarea>', filled.text).group(1)
    assert textarea.startswith("Kept records\n") and "customer calls" in textarea.lower()
    # Nothing is saved until the person presses Save.
    assert site.get(f"{API}/profiles/{profile_id}").json()["jobs"][0]["duties"] == []
    no_file = site.post(tasks_page, data={"csrf_token": token, "duties": "", "action": "transcribe"})
    assert no_file.status_code == 400 and 'href="#audio">Choose a recording to upload</a>' in no_file.text


def test_the_work_history_leads_on_to_the_result_pages(site):
    """With a job in it, the history page links to each result step, and each link opens that page."""
    profile_id = site.post(
        f"{API}/profiles", json={"jobs": [{"soc_code": CSR, "title": "CSR", "start_year": 2000}]}
    ).json()["id"]
    history = site.get(f"/my-work/{profile_id}").text
    links = re.findall(
        rf'href="(/my-work/{profile_id}/(?:exposure|transitions|resume/draft|cover-letter|postings))">([^<]+)</a>',
        history,
    )
    assert [label for _, label in links] == [
        "2. Your exposure",
        "3. Where your experience carries",
        "4. Your résumé",
        "5. Cover letter",
        "6. Job ads for you",
    ]
    for url, _ in links:
        assert site.get(url).status_code == 200, url
