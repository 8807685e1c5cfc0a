"""The result pages of a profile in a real browser (Chromium through Playwright, against uvicorn): the whole
"I was a customer service rep for 25 years" flow by keyboard alone, from the exposure to a downloaded .docx
résumé and cover letter (read back with python-docx: the employer and years are there, and no number that
was not in the input); axe-clean at 375 px in English and Korean; no sideways scrolling at 320 px; the
age-neutral choice; an edit that persists; the LLM opt-in and its rejection note; errors that name the field.
Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest

from tests.api.pages.forms import post_form
from tests.browser import serious_violations, tab_to
from tests.fakes.llm_server import Reply

API = "/api/v1"
CSR = "43-4051"  # Customer Service Representatives
CSR_TASKS = 8
STEPS = ("exposure", "transitions", "resume/draft", "cover-letter")
POSTING = """Customer Support Specialist
We are looking for someone to join our team of 40.
Requirements:
- Keep records of customer interactions and transactions
- Resolve billing complaints from customers
- Forklift certification
"""


@pytest.fixture(scope="module")
def csr_task_ids(site_session) -> list[int]:
    """The first tasks of 43-4051 in the served version, as the history pages offer them."""
    occupation = site_session.get(f"{API}/occupations/{CSR}", params={"tasks": 100}).json()
    return sorted(t["task_id"] for t in occupation["top_tasks"])[:CSR_TASKS]


@pytest.fixture(scope="module")
def make_profile(site_session, csr_task_ids):
    """A new profile through the JSON API (what the history pages save), returning (id, its jobs)."""

    def make(*, earlier_job: bool = False) -> tuple[str, list[dict]]:
        jobs = [
            {
                "soc_code": CSR,
                "title": "Customer service representative",
                "employer": "Acme Telecom",
                "start_year": 2000,
                "end_year": 2024,
                "task_ids": csr_task_ids,
                "duties": ["Trained 12 new staff members on the billing system"],
            }
        ]
        if earlier_job:
            jobs.append(
                {
                    "soc_code": "41-2011",
                    "title": "Cashier",
                    "employer": "Corner Market",
                    "start_year": 1994,
                    "end_year": 1998,
                    "task_ids": [],
                    "duties": ["Handled the till and the daily count"],
                }
            )
        response = site_session.post(f"{API}/profiles", json={"jobs": jobs})
        assert response.status_code == 201, response.text
        return response.json()["id"], jobs

    return make


def numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def input_numbers(site_session, jobs: list[dict]) -> set[str]:
    """Every number the person gave (years, duties, the 25 years they said) or that the O*NET text of their
    ticked tasks holds."""
    found = {"25"}
    for job in jobs:
        found |= {str(job["start_year"]), str(job["end_year"])} | numbers(" ".join(job["duties"]))
        for task_id in job["task_ids"]:
            found |= numbers(site_session.get(f"{API}/tasks/{task_id}").json()["statement"])
    return found


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def press_link(page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Enter")


def test_whole_flow_by_keyboard_to_downloaded_resume_and_letter(
    browser, live_server, site_session, make_profile, screenshots, tmp_path
):
    profile_id, jobs = make_profile()
    allowed = input_numbers(site_session, jobs)
    context = browser.new_context(viewport={"width": 375, "height": 800}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server}/my-work/{profile_id}/exposure")

    # 1. The exposure: a share of their work, explained, with the occupation's average and each rater.
    exposure = site_session.get(f"{API}/profiles/{profile_id}/exposure").json()
    assert page.locator("h1").inner_text() == "Your exposure to AI"
    verdict = page.locator(".verdict-main").inner_text()
    assert (
        verdict == f"About {round(exposure['score'] * 100)}% of the work you did is work today’s AI could do."
    )
    assert "not the chance of losing your job" in page.locator(".verdict").inner_text()
    average = round(exposure["occupation_average"] * 100)
    assert f"the figure is about {average}%" in page.locator("#compare-heading + p").inner_text()
    least = page.locator("section[aria-labelledby=least-heading] li.task")
    assert least.count() == len(exposure["least_exposed"]) == 5
    first = exposure["least_exposed"][0]
    assert least.first.locator(".task-statement").inner_text() == first["task_statement"]
    assert least.first.locator(".raters-table tbody tr").count() == len(first["raters"]) >= 1
    assert page.locator("a[href='/methodology#personal']").count() == 1
    # The step list leads back to the work history (the history pages) and on to each result.
    assert page.locator(f".step-list a[href='/my-work/{profile_id}']").inner_text() == "1. Your work history"
    page.screenshot(path=screenshots / "profile-exposure-en-375.png", full_page=True)

    # 2. Where the experience carries: safer jobs with what carries over and the gaps, linked.
    press_link(page, f"a[href='/my-work/{profile_id}/transitions'].button")
    page.wait_for_url(f"**/my-work/{profile_id}/transitions")
    moves = site_session.get(f"{API}/profiles/{profile_id}/transitions").json()["transitions"]
    cards = page.locator("li.card")
    assert cards.count() == len(moves) >= 1
    assert cards.first.locator(".card-title a").inner_text() == moves[0]["title"]
    assert cards.first.locator(".card-title a").get_attribute("href") == (
        f"/occupation/{moves[0]['soc_code']}?from={CSR}"
    )
    with_gaps = [m for m in moves if m["skill_gaps"]]
    assert with_gaps, "no move of 43-4051 lists a skill gap"
    gap = with_gaps[0]["skill_gaps"][0]
    assert page.get_by_text(f"{gap['element']}: level {gap['needed_level']:.1f} needed").count() >= 1
    page.screenshot(path=screenshots / "profile-transitions-en-375.png", full_page=True)

    # 3. The résumé: the offline draft, downloaded as .docx from the keyboard.
    press_link(page, f"a[href='/my-work/{profile_id}/resume/draft'].button")
    page.wait_for_url(f"**/my-work/{profile_id}/resume/draft")
    assert not page.locator("#use_llm").is_checked()  # sending text to an LLM is opt-in
    preview = page.locator(".resume-preview").inner_text()
    assert "Customer service representative, Acme Telecom (2000–2024)" in preview
    tab_to(page, "a[href$='/resume.docx']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    resume_file = tmp_path / "resume.docx"
    download.value.save_as(resume_file)
    resume = docx_text(resume_file)
    assert "Acme Telecom" in resume and "2000–2024" in resume
    assert "Trained 12 new staff members on the billing system." in resume
    assert "with 25 years of experience" in resume
    assert numbers(resume) <= allowed, numbers(resume) - allowed
    page.screenshot(path=screenshots / "profile-resume-en-375.png", full_page=True)

    # 4. The cover letter: the posting typed in, the checklist, the .docx.
    press_link(page, f"a[href='/my-work/{profile_id}/cover-letter'].button")
    page.wait_for_url(f"**/my-work/{profile_id}/cover-letter")
    tab_to(page, "#posting")
    page.keyboard.insert_text(POSTING)
    tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/my-work/{profile_id}/cover-letter#letter")
    items = page.locator(".checklist li")
    assert items.count() == 3
    assert items.nth(0).get_attribute("class") == "met"
    assert "Not shown in your history: Forklift certification" in items.nth(2).inner_text()
    assert items.nth(2).get_attribute("class") == "not-shown"
    tab_to(page, "a[href$='/cover-letter.docx']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    letter_file = tmp_path / "cover-letter.docx"
    download.value.save_as(letter_file)
    letter = docx_text(letter_file)
    assert letter.startswith("Dear hiring manager,")
    assert "most recently as a customer service representative at Acme Telecom." in letter
    assert "Forklift" not in letter
    assert numbers(letter) <= allowed | numbers(POSTING), numbers(letter) - allowed
    page.screenshot(path=screenshots / "profile-letter-en-375.png", full_page=True)
    context.close()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_result_pages_are_axe_clean_at_375_px(
    browser, live_server, site_session, make_profile, screenshots, lang
):
    profile_id, _ = make_profile()
    site_session.post(f"{API}/profiles/{profile_id}/cover-letter", json={"posting": POSTING})
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale=lang)
    page = context.new_page()
    for step in STEPS:
        page.goto(f"{live_server}/my-work/{profile_id}/{step}?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("[aria-current=step]").get_attribute("href") == f"/my-work/{profile_id}/{step}"
        assert serious_violations(page) == [], step
        if lang == "ko":
            page.screenshot(path=screenshots / f"profile-{step.split('/')[0]}-ko-375.png", full_page=True)
        if step == "exposure":
            assert (
                page.locator("h1").inner_text()
                == {"en": "Your exposure to AI", "ko": "나의 AI 노출 정도"}[lang]
            )
    context.close()


def test_result_pages_never_scroll_sideways_at_320_px(browser, live_server, site_session, make_profile):
    profile_id, _ = make_profile(earlier_job=True)
    site_session.post(f"{API}/profiles/{profile_id}/cover-letter", json={"posting": POSTING})
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    for lang in ("en", "ko"):
        for step in STEPS:
            page.goto(f"{live_server}/my-work/{profile_id}/{step}?lang={lang}")
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            wide = page.evaluate(
                "() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > "
                "window.innerWidth).map(e => e.tagName + '.' + e.className).slice(0, 5)"
            )
            assert overflow <= 0, f"{step} ({lang}) scrolls {overflow}px sideways at 320 px: {wide}"
    context.close()


def test_age_neutral_leaves_out_early_years_and_is_remembered(
    browser, live_server, make_profile, screenshots
):
    profile_id, _ = make_profile(earlier_job=True)
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/my-work/{profile_id}/resume/draft")
    assert "Cashier, Corner Market (1994–1998)" in page.locator(".resume-preview").inner_text()
    assert "with 30 years of experience" in page.locator(".resume-preview").inner_text()
    page.get_by_label("Leave out early dates").check()
    page.get_by_role("button", name="Make a new draft").click()
    page.wait_for_url("**/resume/draft?done=draft#draft")
    preview = page.locator(".resume-preview").inner_text()
    assert "Cashier, Corner Market — earlier experience, without dates" in preview
    assert "1994" not in preview and "1998" not in preview and "years of experience" not in preview
    assert "(2000–2024)" in preview  # recent dates stay
    assert page.get_by_label("Leave out early dates").is_checked()
    text = page.request.get(f"{live_server}{API}/profiles/{profile_id}/resume.txt").text()
    assert "Corner Market" in text and "1994" not in text and "1998" not in text
    page.screenshot(path=screenshots / "profile-resume-age-neutral.png", full_page=True)
    context.close()


def test_an_edit_persists_and_is_what_downloads(browser, live_server, make_profile):
    profile_id, _ = make_profile()
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/my-work/{profile_id}/resume/draft")
    edited = page.locator("#text").input_value().replace("SUMMARY", "ABOUT ME") + "Languages: Spanish\n"
    page.locator("#text").fill(edited)
    page.get_by_role("button", name="Save my changes").click()
    page.wait_for_url("**/resume/draft?done=text#edit")
    assert page.get_by_role("status").inner_text() == "Your changes are saved. The downloads use your text."
    page.goto(f"{live_server}/my-work/{profile_id}/resume/draft")
    assert page.locator("#text").input_value() == edited
    assert page.request.get(f"{live_server}{API}/profiles/{profile_id}/resume.txt").text() == edited
    # An empty text is refused, naming the field; the saved edit stays.
    page.locator("#text").fill("   ")
    page.get_by_role("button", name="Save my changes").click()
    summary = page.locator(".error-summary")
    assert summary.locator("a[href='#text']").inner_text() == "Write your résumé text, or make a new draft."
    assert page.request.get(f"{live_server}{API}/profiles/{profile_id}/resume.txt").text() == edited
    context.close()


def test_llm_rewording_is_opt_in_and_a_rejected_reply_leaves_the_offline_draft(
    browser, live_server, site_session, make_profile, fake_llm
):
    profile_id, _ = make_profile()
    offline = site_session.get(f"{API}/profiles/{profile_id}/resume.txt").text
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/my-work/{profile_id}/resume/draft")
    page.get_by_role("button", name="Make a new draft").click()  # not ticked: nothing is sent
    page.wait_for_url("**/resume/draft?done=draft#draft")
    assert fake_llm.completions("openai") == 0
    draft = site_session.post(f"{API}/profiles/{profile_id}/resume", json={}).json()
    jobs = [{"bullets": job["bullets"]} for job in draft["jobs"]]
    reply = {"summary": "Top performer at Google who raised sales by 40%.", "jobs": jobs}
    fake_llm.enqueue("openai", Reply.content(json.dumps(reply)))
    page.get_by_label("Improve the wording with AI (sends my text to OpenAI or Anthropic)").check()
    page.get_by_role("button", name="Make a new draft").click()
    page.wait_for_url("**/resume/draft?done=draft#draft")
    assert fake_llm.completions("openai") == 1
    note = page.locator("#draft .notice").inner_text()
    assert "The LLM's rewording was not used" in note and "This is the offline draft." in note
    assert "Google" not in page.locator(".resume-preview").inner_text()
    assert site_session.get(f"{API}/profiles/{profile_id}/resume.txt").text == offline
    context.close()


def test_the_drafts_notes_are_in_the_pages_language(site, make_profile, fake_llm):
    """How a draft was made is interface text: Korean on a Korean page (the facts it names as they were),
    English on an English one and in the API."""
    profile_id, _ = make_profile()
    resume_page = f"/my-work/{profile_id}/resume/draft"
    draft = site.post(f"{API}/profiles/{profile_id}/resume", json={}).json()
    reply = {
        "summary": "Top performer at Google who raised sales by 40%.",
        "jobs": [{"bullets": job["bullets"]} for job in draft["jobs"]],
    }
    fake_llm.enqueue("openai", Reply.content(json.dumps(reply)))
    assert post_form(site, resume_page, resume_page, {"use_llm": "yes"}).status_code == 200
    assert fake_llm.completions("openai") == 1
    korean = site.get(resume_page, params={"lang": "ko"}).text
    assert (
        '<div class="notice"><ul><li>AI가 다듬은 문장은 쓰지 않았습니다. 내 경력에 없는 사실을 더했습니다: '
        "40, Google. 기본 초안입니다.</li></ul></div>"
    ) in korean
    english = site.get(resume_page, params={"lang": "en"}).text
    assert (
        "<li>The LLM&#39;s rewording was not used: the reply added facts that are not in your history: "
        "40, Google. This is the offline draft.</li>"
    ) in english
    edited = site.post(f"{API}/profiles/{profile_id}/resume", json={"text": "My own words"}).json()
    assert edited["notes"] == ["Your edited text is kept as you wrote it."]
    assert edited["note_keys"] == [{"key": "edited", "values": {}}]
    korean = site.get(resume_page, params={"lang": "ko"}).text
    assert "<li>직접 고친 글을 쓴 그대로 보관합니다.</li>" in korean


def test_bad_input_names_the_field_and_unknown_profiles_are_not_found(site, make_profile):
    profile_id, _ = make_profile()
    letter_page = f"/my-work/{profile_id}/cover-letter"
    short = post_form(site, letter_page, letter_page, {"posting": "too short"})
    assert short.status_code == 400
    assert 'href="#posting">Paste the job advert: it needs at least 20 characters.' in short.text
    assert "too short</textarea>" in short.text  # what they typed stays
    resume_page = f"/my-work/{profile_id}/resume/draft"
    bad_target = post_form(site, resume_page, resume_page, {"target": "99-9999"})
    assert bad_target.status_code == 400 and 'href="#target">Choose a job from the list.' in bad_target.text
    for path in ("exposure", "resume/draft", "cover-letter"):
        missing = site.get(f"/my-work/{'x' * 32}/{path}")
        assert missing.status_code == 404 and "There is no profile at this link." in missing.text
    assert site.get(f"/my-work/{profile_id}/exposure").headers["cache-control"] == "no-store"
