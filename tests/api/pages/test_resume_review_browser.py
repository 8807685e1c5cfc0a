""" "Make your résumé stronger" in a real browser (Chromium through Playwright, against uvicorn): axe-clean
at 375 px in English and Korean, no sideways scrolling at 320 px, a suggestion accepted by keyboard alone
and, with JavaScript off, by the plain form; the saved résumé changes. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

import pytest

from tests.assistant.test_resume_review import EDITED
from tests.browser import serious_violations, tab_to

API = "/api/v1"
CSR = "43-4051"


@pytest.fixture
def reviewed_profile(site_session) -> str:
    """A profile (age-neutral, aiming at its own occupation) whose saved résumé is the person's edit."""
    occupation = site_session.get(f"{API}/occupations/{CSR}", params={"tasks": 100}).json()
    tasks = sorted(t["task_id"] for t in occupation["top_tasks"])[:6]
    job = {
        "soc_code": CSR,
        "title": "Customer service representative",
        "employer": "Acme Telecom",
        "start_year": 1999,
        "end_year": 2024,
        "task_ids": tasks,
        "duties": ["Responsible for answering phone calls about billing"],
    }
    created = site_session.post(
        f"{API}/profiles", json={"jobs": [job], "age_neutral": True, "target_soc_code": CSR}
    )
    assert created.status_code == 201, created.text
    profile_id = created.json()["id"]
    assert site_session.post(f"{API}/profiles/{profile_id}/resume", json={"text": EDITED}).status_code == 200
    return profile_id


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_review_page_is_axe_clean_at_375_px(browser, live_server, reviewed_profile, screenshots, lang):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale=lang)
    page = context.new_page()
    page.goto(f"{live_server}/my-work/{reviewed_profile}/resume/review?lang={lang}")
    assert (
        page.locator("h1").inner_text()
        == {"en": "Make your résumé stronger", "ko": "이력서 더 탄탄하게 만들기"}[lang]
    )
    assert page.locator(".suggestion").count() >= 3
    assert serious_violations(page) == []
    page.screenshot(path=screenshots / f"profile-resume-review-{lang}-375.png", full_page=True)
    context.close()


def test_the_review_page_never_scrolls_sideways_at_320_px(browser, live_server, reviewed_profile):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    for lang in ("en", "ko"):
        page.goto(f"{live_server}/my-work/{reviewed_profile}/resume/review?lang={lang}")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the review ({lang}) scrolls {overflow}px sideways at 320 px"
    context.close()


def test_a_suggestion_is_accepted_by_keyboard_alone(browser, live_server, reviewed_profile, screenshots):
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/my-work/{reviewed_profile}/resume/review")
    item = page.locator(".suggestion").filter(has_text="Responsible for answering phone calls about billing")
    item = item.filter(has_text="Say what you did")
    assert "Answered phone calls about billing." in item.locator("ins").inner_text()
    button_id = item.locator("button").evaluate("b => (b.id = 'chosen')")
    assert button_id == "chosen"
    tab_to(page, "#chosen")
    page.keyboard.press("Enter")
    page.wait_for_url("**/resume/review?done=accepted#suggestions")
    assert page.get_by_role("status").inner_text() == "Done: your saved résumé has the change."
    saved = page.request.get(f"{live_server}{API}/profiles/{reviewed_profile}/resume.txt?language=en").text()
    assert "- Answered phone calls about billing." in saved and "Responsible for answering" not in saved
    page.screenshot(path=screenshots / "profile-resume-review-accepted.png", full_page=True)
    context.close()


def test_a_suggestion_is_accepted_without_javascript(browser, live_server, reviewed_profile):
    context = browser.new_context(viewport={"width": 1024, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/my-work/{reviewed_profile}/resume/review?lang=ko")
    item = page.locator(".suggestion").filter(has_text="Sent e-mail replies to customers")
    item.filter(has_text="오래된 느낌을 주는 표현").get_by_role("button").click()
    page.wait_for_url("**/resume/review?done=accepted#suggestions")
    assert page.get_by_role("status").inner_text() == "저장된 이력서에 반영했습니다."
    saved = page.request.get(f"{live_server}{API}/profiles/{reviewed_profile}/resume.txt?language=en").text()
    assert "- Sent email replies to customers" in saved
    context.close()
