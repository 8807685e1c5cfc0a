"""The assistant's profile-building pages (web/routes/assistant_history.py) in Debian's Chromium and through
the app: a work history built with the keyboard alone, axe-clean at 375 px (and in Korean), the same forms with
JavaScript off, error summaries that save nothing, a .docx résumé confirmed into jobs, and a spoken duty
uploaded as a recording (espeak-ng) when the browser cannot record. Screenshots: test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import docx
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.web.forms import form_token, post_form
from tests.web.test_browser import AXE_OPTIONS, tab_to

API = "/api/v1"
CSR = "43-4051"
DUTY = "Trained 12 new staff on the billing system"
RESUME_LINES = [
    "Jane Example",
    "EXPERIENCE",
    "Customer Service Representative, Acme Telecom   1999 - 2024",
    "- Answered customer calls about bills and service problems",
    "- Resolved billing complaints and issued refunds",
    "Truck driver at Road Freight (1990 to 1999)",
    "- Drove tractor-trailer trucks on long-haul routes",
    "EDUCATION",
    "High school diploma",
]


@pytest.fixture(scope="module")
def axe():
    return Axe()


def assert_axe_clean(axe, page, what: str) -> None:
    results = axe.run(page, options=AXE_OPTIONS)
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], (what, serious)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what} scrolls {overflow}px sideways"


def profile_id_of(url: str) -> str:
    return re.search(r"/my-work/([A-Za-z0-9_-]{20,64})", url).group(1)


def test_keyboard_only_work_history_at_375px(browser, live_server, axe, screenshots, site):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/")
    tab_to(page, "a.button[href='/my-work']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-work")
    assert_axe_clean(axe, page, "start")
    page.screenshot(path=screenshots / "assistant-start-375.png", full_page=True)
    tab_to(page, "a[href='/my-work/jobs/find']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-work/jobs/find")
    tab_to(page, "#q")
    page.keyboard.type("custmer service")  # a typo, as people type
    page.keyboard.press("Enter")
    page.wait_for_url("**/jobs/find?q=custmer+service")
    assert_axe_clean(axe, page, "find")
    page.screenshot(path=screenshots / "assistant-find-375.png", full_page=True)
    tab_to(page, "input[name=soc]")
    for _ in range(10):
        if page.evaluate("() => document.activeElement.value") == CSR:
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.value") == CSR
    page.keyboard.press("Space")
    tab_to(page, "form[action$='/jobs/details'] button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/jobs/details?q=custmer+service&soc={CSR}")
    assert_axe_clean(axe, page, "details")
    tab_to(page, "#title")
    page.keyboard.press("Control+A")
    page.keyboard.type("Customer service representative")
    tab_to(page, "#start_year")
    page.keyboard.type("1999")
    tab_to(page, "#end_year")
    page.keyboard.type("2024")
    tab_to(page, "#employer")
    page.keyboard.type("Acme Telecom")
    page.keyboard.press("Enter")
    page.wait_for_url("**/jobs/0/tasks")
    assert_axe_clean(axe, page, "tasks")
    tab_to(page, "#task-0")
    page.keyboard.press("Space")
    tab_to(page, "#task-2")
    page.keyboard.press("Space")
    tab_to(page, "#duties")
    page.keyboard.type(DUTY)
    page.screenshot(path=screenshots / "assistant-tasks-375.png", full_page=True)
    tab_to(page, "button[value=save]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/my-work/[A-Za-z0-9_-]{32}$"))
    assert_axe_clean(axe, page, "history")
    page.screenshot(path=screenshots / "assistant-history-375.png", full_page=True)
    profile_id = profile_id_of(page.url)
    assert page.locator(".job-title").all_inner_texts() == ["Customer service representative"]
    assert page.locator(".private-link a").inner_text() == page.url
    [job] = site.get(f"{API}/profiles/{profile_id}").json()["jobs"]
    assert (job["soc_code"], job["employer"], job["start_year"], job["end_year"]) == (
        CSR,
        "Acme Telecom",
        1999,
        2024,
    )
    assert len(job["task_ids"]) == 2 and job["duties"] == [DUTY]

    # The same pages in Korean; and the delete confirmation.
    page.goto(f"{live_server}/my-work/{profile_id}/jobs/0/tasks?lang=ko")
    assert page.locator("h1").inner_text() == "이 일에서 무엇을 하셨나요?"
    assert page.locator("input[name=task]:checked").count() == 2
    assert_axe_clean(axe, page, "tasks (ko)")
    page.screenshot(path=screenshots / "assistant-tasks-ko-375.png", full_page=True)
    page.goto(f"{live_server}/my-work/{profile_id}/delete?lang=en")
    assert_axe_clean(axe, page, "delete")
    page.get_by_role("button", name="Yes, delete everything").click()
    page.wait_for_url("**/my-work/deleted")
    assert_axe_clean(axe, page, "deleted")
    assert site.get(f"{API}/profiles/{profile_id}").status_code == 404
    context.close()


def test_with_javascript_off_a_future_year_is_refused_and_nothing_saved(
    browser, live_server, axe, screenshots, db_conn
):
    context = browser.new_context(viewport={"width": 320, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    before = db_conn.execute("SELECT count(*) FROM assistant.profile").fetchone()[0]
    page.goto(f"{live_server}/my-work/jobs/details?soc={CSR}")
    next_year = dt.date.today().year + 1
    page.fill("#start_year", str(next_year))
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".error-summary a")
    assert summary.all_inner_texts() == [f"The year cannot be in the future: it is {next_year - 1} now"]
    assert summary.first.get_attribute("href") == "#start_year"
    assert page.locator("#start_year").get_attribute("aria-describedby") == "start_year-hint start_year-error"
    assert page.title().startswith("Error:")
    assert_axe_clean(axe, page, "details with an error")
    page.screenshot(path=screenshots / "assistant-error-320.png", full_page=True)
    assert db_conn.execute("SELECT count(*) FROM assistant.profile").fetchone()[0] == before
    page.fill("#start_year", "2010")
    page.fill("#end_year", "2005")
    page.get_by_role("button", name="Continue").click()
    assert page.locator(".error-summary a").all_inner_texts() == [
        "The year you stopped must be the same as or after the year you started"
    ]
    page.fill("#end_year", "")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/jobs/0/tasks")
    assert page.locator(".speak-button").is_hidden()  # no script: the upload form is the way to speak
    page.check("#task-1")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*/my-work/[A-Za-z0-9_-]{32}$"))
    assert db_conn.execute("SELECT count(*) FROM assistant.profile").fetchone()[0] == before + 1
    context.close()


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


def test_a_docx_resume_becomes_confirmed_jobs(browser, live_server, site, screenshots, axe, tmp_path):
    document = docx.Document()
    for line in RESUME_LINES:
        document.add_paragraph(line)
    path = tmp_path / "resume.docx"
    document.save(path)
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/my-work/resume")
    assert_axe_clean(axe, page, "résumé")
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name="Read my résumé").click()
    assert page.locator("h1").inner_text() == "Check the jobs we found"
    assert page.locator("input[name='soc-0']:checked").get_attribute("value") == CSR
    assert page.locator("input[name='soc-1']:checked").get_attribute("value") == "53-3032"
    assert page.locator("#employer-0").input_value() == "Acme Telecom"
    ticked = page.locator("input[name='task-0']:checked").count()
    assert ticked >= 1
    assert_axe_clean(axe, page, "confirm")
    page.screenshot(path=screenshots / "assistant-resume-confirm-375.png", full_page=True)
    page.get_by_role("button", name="Save these jobs").click()
    page.wait_for_url(re.compile(r".*/my-work/[A-Za-z0-9_-]{32}$"))
    jobs = site.get(f"{API}/profiles/{profile_id_of(page.url)}").json()["jobs"]
    assert [(j["soc_code"], j["employer"], j["start_year"], j["end_year"]) for j in jobs] == [
        (CSR, "Acme Telecom", 1999, 2024),
        ("53-3032", "Road Freight", 1990, 1999),
    ]
    assert len(jobs[0]["task_ids"]) == ticked
    assert jobs[0]["duties"][1] == "Resolved billing complaints and issued refunds"
    context.close()


def test_a_corrupt_resume_file_is_named_on_the_page(site):
    page = post_form(
        site,
        "/my-work/resume",
        "/my-work/resume",
        {"text": ""},
        files={"file": ("resume.docx", io.BytesIO(b"not a zip at all"), "application/octet-stream")},
    )
    assert page.status_code == 400
    assert 'href="#file">The file could not be read:' in page.text


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
