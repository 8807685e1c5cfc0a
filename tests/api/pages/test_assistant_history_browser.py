"""The profile-building pages (/my-work…, api/pages/routes/assistant_history.py) in a real browser (Debian's
Chromium through Playwright, against uvicorn): "I was a customer service rep for 25 years" by keyboard alone
(Tab, Enter and Space), from a misspelt job title to the exposure page, with the focus on the error summary
after a wrong field; a .docx résumé uploaded and its proposed jobs confirmed into the profile; the error
summary's links reached by keyboard; axe-core clean on every page in English and Korean at 375 px; no
sideways scrolling at 320 px; "delete everything" leaving no row of the profile in the assistant schema.
Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt
import re

import docx
import pytest

from tests.browser import serious_violations, tab_to

API = "/api/v1"
CSR = "43-4051"
CSR_TITLE = "Customer Service Representatives"
TRUCK_DRIVERS = "53-3032"
DUTY = "Trained 12 new staff on the billing system"
PROFILE_URL = re.compile(r".*/my-work/([A-Za-z0-9_-]{32,64})$")
RESUME_LINES = [
    "Jane Example",
    "EXPERIENCE",
    "Customer Service Representative, Acme Telecom, 1999 - 2024",
    "- Answered customer calls about bills and service problems",
    "- Resolved billing complaints and issued refunds",
    "Truck Driver, Road Freight, 1990 - 1999",
    "- Drove tractor-trailer trucks on long-haul routes",
    "EDUCATION",
    "High school diploma",
]


def focused(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, tag: document.activeElement.tagName,"
        " classes: document.activeElement.className, value: document.activeElement.value ?? null})"
    )


def press(page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    page.keyboard.press(key)


def sideways_overflow(page) -> tuple[int, list[str]]:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
        "window.innerWidth + 0.5).map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    return overflow, wide


def rows_of_profile(db_conn, profile_id: str) -> dict[str, int]:
    """Every table of the assistant schema, with the number of its rows that belong to the profile."""
    tables = db_conn.execute(
        "SELECT t.table_name, bool_or(c.column_name = 'profile_id') FROM information_schema.tables t "
        "JOIN information_schema.columns c USING (table_schema, table_name) "
        "WHERE t.table_schema = 'assistant' AND t.table_type = 'BASE TABLE' GROUP BY t.table_name"
    ).fetchall()
    # The coder's labels keep a hash of the title and the codes, never the profile: nothing there to delete.
    unlinked = {table for table, has_profile_id in tables if not has_profile_id} - {"profile"}
    assert unlinked == {"coder_label"}, f"a new assistant table without profile_id: {unlinked}"
    counts = {}
    for table, has_profile_id in tables:
        if table in unlinked:
            continue
        column = "profile_id" if has_profile_id else "id"
        counts[table] = db_conn.execute(
            f"SELECT count(*) FROM assistant.{table} WHERE {column} = %s", [profile_id]
        ).fetchone()[0]
    return counts


@pytest.fixture(scope="module")
def csr_tasks(db_conn) -> list[tuple[int, str]]:
    """43-4051's tasks in the order the tasks page lists them (core first)."""
    return db_conn.execute(
        "SELECT task_id, task_statement FROM marts.task_statements WHERE data_version = '30.1' AND soc_code = %s "
        "ORDER BY task_type NULLS LAST, task_id",
        [CSR],
    ).fetchall()


@pytest.fixture(scope="module")
def make_profile(site_session, csr_tasks):
    """A profile with two jobs, made through the JSON API (what the history pages save): its id."""

    def make() -> str:
        jobs = [
            {
                "soc_code": CSR,
                "title": "Customer service representative",
                "employer": "Acme Telecom",
                "start_year": 1999,
                "end_year": 2024,
                "task_ids": [task_id for task_id, _ in csr_tasks[:3]],
                "duties": [DUTY],
            },
            {"soc_code": TRUCK_DRIVERS, "title": "Truck driver", "start_year": 1990, "end_year": 1999},
        ]
        response = site_session.post(f"{API}/profiles", json={"jobs": jobs})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    return make


def test_keyboard_only_from_a_misspelt_title_to_the_exposure(
    browser, live_server, site_session, db_conn, csr_tasks, screenshots
):
    """'I was a customer service rep for 25 years', with Tab, Enter and Space only."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/my-work")
    assert page.locator("h1").inner_text() == "Your work history and AI"
    page.screenshot(path=screenshots / "my-work-start-en-desktop.png", full_page=True)
    press(page, "a.button[href='/my-work/jobs/find']")
    page.wait_for_url("**/my-work/jobs/find")
    assert page.locator("h1").inner_text() == "What was the job called?"

    # 1. The title in lay words, misspelt: the right occupation is offered first.
    tab_to(page, "#q")
    page.keyboard.type("custmer service rep")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-work/jobs/find?q=custmer+service+rep")
    radios = page.locator("input[name=soc]")
    assert radios.count() >= 2
    assert radios.first.get_attribute("value") == CSR
    assert page.locator("label[for=soc-0]").inner_text().startswith(f"{CSR_TITLE} ({CSR})")
    page.screenshot(path=screenshots / "my-work-find-en-desktop.png", full_page=True)

    # Continue without choosing: the error summary has the focus and its link goes to the first choice.
    press(page, "form[action='/my-work/jobs/details'] button[type=submit]")
    page.wait_for_url("**/my-work/jobs/find?q=custmer+service+rep&error=choose")
    assert page.title().startswith("Error: ")
    assert focused(page)["classes"] == "error-summary"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#soc-0"
    assert (
        page.evaluate("() => document.activeElement.textContent") == "Choose the job that is closest to yours"
    )
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "soc-0"
    page.keyboard.press("Space")
    assert page.locator("#soc-0").is_checked()
    press(page, "form[action='/my-work/jobs/details'] button[type=submit]")
    page.wait_for_url(f"**/my-work/jobs/details?q=custmer+service+rep&soc={CSR}")

    # 2. Years and employer: a letter typed in a year is named, the field reached from the summary.
    assert page.locator(".eyebrow").inner_text() == f"{CSR_TITLE} ({CSR})"
    assert page.locator("#title").input_value() == CSR_TITLE
    tab_to(page, "#title")
    page.keyboard.type("Customer service rep")  # the focus selected the whole title: typing replaces it
    tab_to(page, "#start_year")
    page.keyboard.type("1999")
    tab_to(page, "#end_year")
    page.keyboard.type("2o24")
    tab_to(page, "#employer")
    page.keyboard.type("Acme Telecom")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-work/jobs/details")
    assert focused(page)["classes"] == "error-summary"
    assert page.locator(".error-summary a").all_inner_texts() == [
        "Enter the year you stopped, like 2020, or leave it empty"
    ]
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page) == {
        "id": "end_year",
        "tag": "INPUT",
        "classes": "input-big input-year",
        "value": "2o24",
    }
    page.keyboard.press("Control+A")
    page.keyboard.type("2024")
    assert page.locator("#title").input_value() == "Customer service rep"  # what they typed stays
    press(page, "button[type=submit]")
    page.wait_for_url(re.compile(r".*/my-work/[A-Za-z0-9_-]{32,64}/jobs/0/tasks$"))
    profile_id = re.search(r"/my-work/([^/]+)/", page.url).group(1)

    # 3. The tasks of the occupation, big checkboxes ticked with Space, and a duty in their own words.
    assert page.locator("h1").inner_text() == "What did you do in this job?"
    assert page.locator(".eyebrow").inner_text() == "Customer service rep"
    boxes = page.locator("input[name=task]")
    assert boxes.count() == len(csr_tasks)
    assert page.locator("label[for=task-0]").inner_text() == csr_tasks[0][1]
    for box in ("#task-0", "#task-2"):
        press(page, box, "Space")
    assert [page.locator(f"#task-{i}").is_checked() for i in range(3)] == [True, False, True]
    tab_to(page, "#duties")
    page.keyboard.type(DUTY)
    page.screenshot(path=screenshots / "my-work-tasks-en-desktop.png", full_page=True)
    press(page, "button[value=save]")
    page.wait_for_url(f"**/my-work/{profile_id}")

    # 4. The work history: what was saved, in the page and in the database.
    assert page.locator("h1").inner_text() == "Your work history"
    assert page.locator(".private-link a").inner_text() == page.url
    assert page.locator(".job-title").all_inner_texts() == ["Customer service rep"]
    facts = page.locator(".job dd").all_inner_texts()
    assert facts == [CSR, "1999 – 2024", "Acme Telecom", "2 tasks ticked, 1 in your own words"]
    job = db_conn.execute(
        "SELECT soc_code, title, employer, start_year, end_year, duties FROM assistant.job WHERE profile_id = %s",
        [profile_id],
    ).fetchall()
    assert job == [(CSR, "Customer service rep", "Acme Telecom", 1999, 2024, [DUTY])]
    ticked = db_conn.execute(
        "SELECT task_id FROM assistant.job_task WHERE profile_id = %s ORDER BY task_id", [profile_id]
    ).fetchall()
    assert [t for (t,) in ticked] == sorted([csr_tasks[0][0], csr_tasks[2][0]])
    page.screenshot(path=screenshots / "my-work-history-en-desktop.png", full_page=True)

    # 5. On to the exposure of the tasks they did.
    press(page, f"a[href='/my-work/{profile_id}/exposure']")
    page.wait_for_url(f"**/my-work/{profile_id}/exposure")
    exposure = site_session.get(f"{API}/profiles/{profile_id}/exposure").json()
    assert page.locator("h1").inner_text() == "Your exposure to AI"
    assert page.locator(".verdict-main").inner_text() == (
        f"About {round(exposure['score'] * 100)}% of the work you did is work today’s AI could do."
    )
    context.close()


def test_an_uploaded_docx_resume_is_proposed_then_confirmed_into_the_profile(
    browser, live_server, db_conn, screenshots, tmp_path
):
    document = docx.Document()
    for line in RESUME_LINES:
        document.add_paragraph(line)
    path = tmp_path / "resume.docx"
    document.save(path)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/my-work/resume")
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name="Read my résumé").click()
    page.wait_for_url("**/my-work/resume")

    assert page.locator("h1").inner_text() == "Check the jobs we found"
    assert page.locator("section.found-job h2").all_inner_texts() == [
        "Job 1: Customer Service Representative",
        "Job 2: Truck Driver",
    ]
    assert [
        page.locator(f"#{field}-0").input_value() for field in ("employer", "start_year", "end_year")
    ] == [
        "Acme Telecom",
        "1999",
        "2024",
    ]
    assert page.locator("input[name='soc-0']:checked").get_attribute("value") == CSR
    assert page.locator("input[name='soc-1']:checked").get_attribute("value") == TRUCK_DRIVERS
    proposed = [
        int(v)
        for v in page.locator("input[name='task-0']:checked").evaluate_all("es => es.map(e => e.value)")
    ]
    assert len(proposed) >= 1
    page.screenshot(path=screenshots / "my-work-resume-confirm-en-desktop.png", full_page=True)
    page.get_by_role("button", name="Save these jobs").click()
    page.wait_for_url(PROFILE_URL)
    profile_id = PROFILE_URL.match(page.url).group(1)

    assert page.locator(".job-title").all_inner_texts() == ["Customer Service Representative", "Truck Driver"]
    jobs = db_conn.execute(
        "SELECT soc_code, employer, start_year, end_year FROM assistant.job WHERE profile_id = %s ORDER BY ordinal",
        [profile_id],
    ).fetchall()
    assert jobs == [(CSR, "Acme Telecom", 1999, 2024), (TRUCK_DRIVERS, "Road Freight", 1990, 1999)]
    ticked = db_conn.execute(
        "SELECT task_id FROM assistant.job_task WHERE profile_id = %s AND ordinal = 0 ORDER BY task_id",
        [profile_id],
    ).fetchall()
    assert [t for (t,) in ticked] == sorted(proposed)
    context.close()


# A page, its field that gets a wrong value, and that field's id.
BAD_SUBMITS = {
    "future-year": (f"/my-work/jobs/details?soc={CSR}", "#start_year", "start_year"),
    "no-results": ("/my-work/jobs/find", "#q", "q"),
    "empty-resume": ("/my-work/resume", "#text", "text"),
}


@pytest.mark.parametrize("case", list(BAD_SUBMITS))
def test_a_bad_submit_puts_an_error_summary_first_whose_link_reaches_the_field(
    browser, live_server, db_conn, screenshots, case
):
    url, field, field_id = BAD_SUBMITS[case]
    next_year = dt.date.today().year + 1
    typed = {"future-year": str(next_year), "no-results": "zzqxv", "empty-resume": " "}[case]
    message = {
        "future-year": f"The year cannot be in the future: it is {next_year - 1} now",
        "no-results": "We found no job for “zzqxv”. Try other words, for example what you did all day.",
        "empty-resume": "Upload a résumé or paste its text",
    }[case]
    profiles_before = db_conn.execute("SELECT count(*) FROM assistant.profile").fetchone()[0]
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server + url)
    tab_to(page, field)
    page.keyboard.type(typed)
    with page.expect_navigation():
        if case == "empty-resume":
            press(page, "button[value=read]")
        else:
            page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    # First in the main content, announced, and focused.
    assert (
        page.evaluate("() => document.querySelector('main').firstElementChild.className") == "error-summary"
    )
    assert summary.get_attribute("role") == "alert"
    assert focused(page)["classes"] == "error-summary"
    assert page.title().startswith("Error: ")
    assert summary.locator("a").all_inner_texts() == [message]
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == field
    page.keyboard.press("Enter")
    assert focused(page)["id"] == field_id
    # The field says what is wrong too, and a screen reader hears it with the field.
    assert page.locator(f"#{field_id}-error").text_content() == f"Error: {message}"
    assert f"{field_id}-error" in page.locator(field).get_attribute("aria-describedby").split()
    assert serious_violations(page) == []
    page.screenshot(path=screenshots / f"my-work-error-{case}-en-375.png", full_page=True)
    assert db_conn.execute("SELECT count(*) FROM assistant.profile").fetchone()[0] == profiles_before
    context.close()


def history_pages(profile_id: str) -> dict[str, str]:
    base = f"/my-work/{profile_id}"
    return {
        "start": "/my-work",
        "find": "/my-work/jobs/find?q=customer+service",
        "find-none": "/my-work/jobs/find?q=zzqxv",
        "details-new": f"/my-work/jobs/details?soc={CSR}",
        "add-find": f"{base}/jobs/find?q=truck",
        "details-change": f"{base}/jobs/0/details",
        "tasks": f"{base}/jobs/0/tasks",
        "history": base,
        "remove": f"{base}/jobs/1/remove",
        "resume": f"{base}/resume",
        "delete": f"{base}/delete",
        "deleted": "/my-work/deleted",
    }


def open_resume_confirm(page, live_server: str, lang: str) -> None:
    page.goto(f"{live_server}/my-work/resume?lang={lang}")
    page.fill("#text", "\n".join(RESUME_LINES))
    page.locator("button[value=read]").click()
    page.wait_for_selector("section.found-job")


H1 = {
    "en": {"start": "Your work history and AI", "tasks": "What did you do in this job?"},
    "ko": {"start": "내 경력과 AI", "tasks": "이 일에서 무엇을 하셨나요?"},
}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_history_page_is_axe_clean_at_375_px(browser, live_server, make_profile, screenshots, lang):
    pages = history_pages(make_profile())
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale=lang)
    page = context.new_page()
    for name, url in pages.items():
        page.goto(f"{live_server}{url}{'&' if '?' in url else '?'}lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert serious_violations(page) == [], name
        if name in H1[lang]:
            assert page.locator("h1").inner_text() == H1[lang][name]
        if name == "tasks":  # O*NET's task statements stay English: screen readers are told so
            assert page.locator("label[for=task-0]").get_attribute("lang") == "en"
        page.screenshot(path=screenshots / f"my-work-{name}-{lang}-375.png", full_page=True)
    open_resume_confirm(page, live_server, lang)
    assert serious_violations(page) == [], "resume-confirm"
    page.screenshot(path=screenshots / f"my-work-resume-confirm-{lang}-375.png", full_page=True)
    context.close()


def test_no_history_page_scrolls_sideways_at_320_px(browser, live_server, make_profile):
    pages = history_pages(make_profile())
    context = browser.new_context(viewport={"width": 320, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    for lang in ("en", "ko"):
        for name, url in pages.items():
            page.goto(f"{live_server}{url}{'&' if '?' in url else '?'}lang={lang}")
            overflow, wide = sideways_overflow(page)
            assert overflow <= 0, f"{name} ({lang}) scrolls {overflow}px sideways at 320 px: {wide}"
        open_resume_confirm(page, live_server, lang)
        overflow, wide = sideways_overflow(page)
        assert overflow <= 0, f"resume-confirm ({lang}) scrolls {overflow}px sideways at 320 px: {wide}"
    context.close()


def test_delete_everything_from_the_browser_leaves_no_row_of_the_profile(
    browser, live_server, site_session, make_profile, db_conn
):
    profile_id = make_profile()
    # A résumé draft and a cover letter too, so that every kind of row the profile can have exists.
    assert site_session.post(f"{API}/profiles/{profile_id}/resume", json={}).status_code == 200
    posting = {"posting": "Customer support specialist. Resolve billing complaints from customers."}
    assert site_session.post(f"{API}/profiles/{profile_id}/cover-letter", json=posting).status_code == 200
    before = rows_of_profile(db_conn, profile_id)
    assert (
        before["profile"] == 1 and before["job"] == 2 and before["job_task"] == 3 and before["document"] == 2
    )
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server}/my-work/{profile_id}")
    press(page, f"a[href='/my-work/{profile_id}/delete']")
    page.wait_for_url(f"**/my-work/{profile_id}/delete")
    assert page.locator("h1").inner_text() == "Delete all your information?"
    press(page, "button.button-warning")
    page.wait_for_url("**/my-work/deleted")
    assert page.locator("h1").inner_text() == "You have deleted everything"
    assert rows_of_profile(db_conn, profile_id) == dict.fromkeys(before, 0)
    assert page.goto(f"{live_server}/my-work/{profile_id}").status == 404
    context.close()
