"""A person's job ads as a page (/my-work/{id}/postings), on the built 30.1 platform with the board's postings
coded (the `coded` fixture of test_coding_and_api): ranked as the API ranks them, each with its occupation,
exposure and reasons in plain words and no number presented as a chance of being hired; the outcome form
(CSRF, no JavaScript) round-trips to the assistant schema and shows after reload; bad input gets an error
summary and stores nothing; the empty state says how to add job ads. In Chromium: axe-clean in English and
Korean at 375 px, an outcome marked by keyboard alone, no sideways scroll at 320 px.

The first test empties the postings store (for the empty state); `coded` fills it again for the others."""

from __future__ import annotations

import re

import psycopg
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from api.main import create_app
from api.pages.routes.my_work_postings import _ad_link
from tests.api.pages.forms import form_token, post_form
from tests.browser import serious_violations, tab_to
from tests.built_platform import platform_database
from tests.postings.board import KOREAN, POSTINGS
from tests.postings.test_coding_and_api import coded  # noqa: F401  (the board's postings, coded)
from tests.postings.test_done_when import empty_postings_store

API = "/api/v1"
CSR = "43-4051"
DUTY = "Answered billing complaints on the telephone and refunded money to customers"
JOB_TITLE = "Customer service agent"
ADS = len(POSTINGS) + 1  # the `coded` fixture's ads: the board's English ones and the Korean one


@pytest.fixture(scope="module")
def client(built_database):
    with platform_database(built_database), TestClient(create_app(built_database)) as client:
        yield client


def new_profile(client: TestClient, task_ids: list[int] = ()) -> str:
    job = {
        "soc_code": CSR,
        "title": JOB_TITLE,
        "start_year": 2001,
        "task_ids": list(task_ids),
        "duties": [DUTY],
    }
    created = client.post(f"{API}/profiles", json={"jobs": [job]})
    assert created.status_code == 201, created.text
    return created.json()["id"]


def outcome_rows(conn: psycopg.Connection, profile_id: str) -> tuple[list, list]:
    current = conn.execute(
        "SELECT posting_id, outcome FROM assistant.posting_outcome WHERE profile_id = %s ORDER BY 1",
        (profile_id,),
    ).fetchall()
    changes = conn.execute(
        "SELECT posting_id, outcome FROM assistant.posting_outcome_change WHERE profile_id = %s "
        "ORDER BY changed_at",
        (profile_id,),
    ).fetchall()
    return current, changes


def test_with_no_postings_the_page_says_how_to_add_them(
    client, built_database, browser, live_server, screenshots
):
    with psycopg.connect(built_database, autocommit=True) as conn:
        empty_postings_store(conn)
    profile_id = new_profile(client)
    client.cookies.clear()
    response = client.get(f"/my-work/{profile_id}/postings")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    html = response.text
    assert "There are no job ads yet" in html
    assert (
        "<code>occurisk postings import FILE</code>" in html
        and "<code>occurisk postings crawl URL</code>" in html
    )
    assert 'href="/check-job-ad"' in html and "outcome-form" not in html
    assert "No such number exists" in html
    korean = client.get(f"/my-work/{profile_id}/postings", params={"lang": "ko"}).text
    assert "아직 구인 광고가 없습니다" in korean and "그런 숫자는 없습니다" in korean
    client.cookies.clear()

    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server}/my-work/{profile_id}/postings")
    assert serious_violations(page) == []
    page.screenshot(path=screenshots / "profile-postings-empty-en-375.png", full_page=True)
    context.close()


@pytest.fixture
def profile_id(client, csr_posting) -> str:
    """A customer service worker who ticked the ad's tasks and wrote one duty of their own."""
    return new_profile(client, [t for t, _ in csr_posting[1]])


def card_texts(html: str) -> dict[int, str]:
    """Each posting card's HTML by posting id."""
    cards = re.findall(r'<li class="card" id="posting-(\d+)">(.*?)</form>', html, re.S)
    return {int(pid): body for pid, body in cards}


def test_the_profile_pages_link_to_it(client, profile_id):
    link = f'href="/my-work/{profile_id}/postings"'
    assert link in client.get(f"/my-work/{profile_id}").text  # the history's "next steps"
    exposure = client.get(f"/my-work/{profile_id}/exposure").text
    assert f'<a href="/my-work/{profile_id}/postings">6. Job ads for you</a>' in exposure  # the step list


def test_the_page_lists_the_ranked_postings_with_plain_reasons(client, profile_id, csr_posting):
    posting_id, tasks = csr_posting
    ranked = client.get(f"{API}/profiles/{profile_id}/postings").json()
    client.cookies.clear()
    response = client.get(f"/my-work/{profile_id}/postings")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    html = response.text
    cards = card_texts(html)
    # The API's order, the API's count: every coded ad, the board's English ones and the Korean one (coded
    # since coder v2), its title marked as Korean for screen readers.
    assert list(cards) == [i["posting_id"] for i in ranked["items"]] and len(cards) == ADS
    assert f"{ADS} job ads, closest to your work first." in html
    assert f'<h2 class="card-title" lang="ko">{KOREAN["title"]}</h2>' in html
    assert html.count('<h2 class="card-title" lang="en">') == len(POSTINGS)
    for item in ranked["items"]:
        card = cards[item["posting_id"]]
        occupation = item["occupation"]
        assert f'<a href="/occupation/{occupation["soc_code"]}">{escape(occupation["title"])}</a>' in card
        assert f"AI score: {round(item['ai_score'] * 100)}%" in card
        # A low-confidence code is shown with its flag, never hidden (the teacher's ad: 31% sure).
        guess = (
            f"This occupation is only a guess: we are {round(occupation['confidence'] * 100)}% sure of it."
        )
        assert (
            (guess in card)
            == item["low_confidence"]
            == (item["title"] == "Elementary School Teacher - Grade 3")
        )
        # No number of the ranking is shown, let alone as a chance.
        for value in (item["match_score"], *item["match_score_components"].values()):
            assert str(value) not in card and f"{value:.2f}" not in card
    first = cards[posting_id]
    assert posting_id == ranked["items"][0]["posting_id"]
    requirements = [r for r in ranked["items"][0]["reasons"] if r["kind"] == "matched_requirement"]
    assert requirements
    for r in requirements:
        assert f'The ad asks for <span lang="en">“{escape(r["requirement"].rstrip("."))}”</span>' in first
        assert f'You did <span lang="en">“{escape(r["yours"].rstrip("."))}”</span>' in first
    quoted = {r["yours"] for r in requirements}
    for _, statement in tasks:
        # Each ticked task of the ad shows once: as what you did beside the requirement it matches, else
        # on a line of its own.
        own_line = f'a task you said you did: <span lang="en">“{escape(statement.rstrip("."))}”</span>'
        assert (own_line in first) == (statement not in quoted)
        assert f"“{escape(statement.rstrip('.'))}”" in first
    assert ".”." not in html  # one full stop after a quotation, not two
    assert f"It is the same kind of job as yours: {JOB_TITLE}." in first
    assert 'href="https://jobs.example.org/' in first  # the ad itself
    assert "No number on this page is your chance of getting a job. No such number exists" in html
    assert "probab" not in html.lower()
    korean = client.get(f"/my-work/{profile_id}/postings", params={"lang": "ko"}).text
    client.cookies.clear()
    assert (
        "나에게 맞는 구인 광고" in korean
        and "광고가 요구하는 일:" in korean
        and "면접을 보았습니다" in korean
    )


def test_an_outcome_marked_on_the_page_is_stored_and_shows_after_reload(
    client, profile_id, csr_posting, db_conn
):
    posting_id, _ = csr_posting
    url = f"/my-work/{profile_id}/postings"
    action = f"{url}/{posting_id}/outcome"
    sent = post_form(client, url, action, {"outcome": "applied", "page": "1"}, follow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{url}?page=1&saved={posting_id}#posting-{posting_id}"
    assert outcome_rows(db_conn, profile_id) == ([(posting_id, "applied")], [(posting_id, "applied")])
    again = post_form(client, url, action, {"outcome": "interview", "page": "1"})
    assert again.status_code == 200  # the redirect followed: the page, reloaded
    card = card_texts(again.text)[posting_id]
    assert "You marked: I had an interview." in card and "Saved." in card
    assert re.search(rf'id="outcome-{posting_id}-interview" name="outcome" value="interview" checked>', card)
    assert card.count(" checked>") == 1
    others = [c for pid, c in card_texts(again.text).items() if pid != posting_id]
    assert all(" checked>" not in c and "Saved." not in c for c in others)
    current, changes = outcome_rows(db_conn, profile_id)
    assert current == [(posting_id, "interview")]
    assert changes == [(posting_id, "applied"), (posting_id, "interview")]
    # The JSON API reads the same outcome.
    items = client.get(f"{API}/profiles/{profile_id}/postings").json()["items"]
    assert next(i for i in items if i["posting_id"] == posting_id)["outcome"]["outcome"] == "interview"


@pytest.mark.parametrize("value", ["", "hired", "applied " * 1000])
def test_a_bad_outcome_gets_an_error_summary_and_stores_nothing(
    client, profile_id, csr_posting, db_conn, value
):
    posting_id, _ = csr_posting
    url = f"/my-work/{profile_id}/postings"
    response = post_form(client, url, f"{url}/{posting_id}/outcome", {"outcome": value})
    assert response.status_code == 400
    message = (
        "Choose what happened with “Customer Service Representative (Remote)”: applied, interview, offer or "
        "turned down."
    )
    assert f'<li><a href="#outcome-{posting_id}-applied">{message}</a></li>' in response.text
    assert f'id="outcome-{posting_id}-applied-error"' in response.text
    assert len(card_texts(response.text)) == ADS  # the whole page, still there
    assert outcome_rows(db_conn, profile_id) == ([], [])


def test_unknown_posting_profile_or_token_change_nothing(client, profile_id, csr_posting, db_conn):
    posting_id, _ = csr_posting
    url = f"/my-work/{profile_id}/postings"
    for choice in ("offer", ""):
        unknown = post_form(client, url, f"{url}/999999999/outcome", {"outcome": choice})
        assert unknown.status_code == 404 and "There is no job ad 999999999 any more." in unknown.text
    not_a_number = post_form(client, url, f"{url}/abc/outcome", {"outcome": "offer"})
    assert not_a_number.status_code == 400 and "posting_id" in not_a_number.text
    assert form_token(client.get(url).text)  # the browser has its token cookie, but the form below lacks it
    forged = client.post(f"{url}/{posting_id}/outcome", data={"outcome": "offer"})
    assert forged.status_code == 403
    nobody = f"/my-work/{'x' * 32}/postings"
    assert client.get(nobody).status_code == 404
    gone = post_form(client, url, f"{nobody}/{posting_id}/outcome", {"outcome": "offer"})
    assert gone.status_code == 404 and "There is no profile at this link." in gone.text
    assert outcome_rows(db_conn, profile_id) == ([], [])


def test_page_numbers(client, profile_id):
    url = f"/my-work/{profile_id}/postings"
    past = client.get(url, params={"page": 2})
    assert past.status_code == 200 and "There is no page 2. The last page of job ads is page 1." in past.text
    assert 'href="/my-work/' in past.text and "outcome-form" not in past.text
    for bad in ("0", "abc", "1001"):
        response = client.get(url, params={"page": bad})
        assert response.status_code == 400 and f"“{bad}” is not a valid page." in response.text, bad


def test_only_web_addresses_become_links():
    assert _ad_link("https://jobs.example.org/a") == "https://jobs.example.org/a"
    assert _ad_link("http://jobs.example.org/a") == "http://jobs.example.org/a"
    for url in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "//evil.example", "", None):
        assert _ad_link(url) is None, url


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_page_is_axe_clean_at_375_px(browser, live_server, client, profile_id, screenshots, lang):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale=lang)
    page = context.new_page()
    page.goto(f"{live_server}/my-work/{profile_id}/postings?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("li.card").count() == ADS
    assert page.locator("[aria-current=step]").get_attribute("href") == f"/my-work/{profile_id}/postings"
    assert serious_violations(page) == []
    page.screenshot(path=screenshots / f"profile-postings-{lang}-375.png", full_page=True)
    # With the error summary (JavaScript off: the form alone).
    page.locator("li.card").first.locator("button[type=submit]").click()
    assert page.locator(".error-summary a").count() == 1
    assert serious_violations(page) == []
    page.screenshot(path=screenshots / f"profile-postings-error-{lang}-375.png", full_page=True)
    context.close()


def test_an_outcome_is_marked_by_keyboard_alone(
    browser, live_server, profile_id, csr_posting, db_conn, screenshots
):
    posting_id, _ = csr_posting
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/my-work/{profile_id}/postings")
    tab_to(page, f"#outcome-{posting_id}-applied")
    page.keyboard.press("Space")  # choose "I applied"
    page.keyboard.press("ArrowDown")  # then move on to "I had an interview"
    assert page.locator(f"#outcome-{posting_id}-interview").is_checked()
    tab_to(page, f"#posting-{posting_id} button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith(f"/postings?page=1&saved={posting_id}#posting-{posting_id}"))
    assert outcome_rows(db_conn, profile_id)[0] == [(posting_id, "interview")]
    page.reload()
    card = page.locator(f"#posting-{posting_id}")
    assert page.locator(f"#outcome-{posting_id}-interview").is_checked()
    assert "You marked: I had an interview." in card.inner_text()
    card.screenshot(path=screenshots / "profile-postings-marked-en-375.png")
    context.close()


def test_no_sideways_scroll_at_320_px(browser, live_server, profile_id):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    for lang in ("en", "ko"):
        page.goto(f"{live_server}/my-work/{profile_id}/postings?lang={lang}")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        wide = page.evaluate(
            "() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > "
            "window.innerWidth).map(e => e.tagName + '.' + e.className).slice(0, 5)"
        )
        assert overflow <= 0, f"({lang}) scrolls {overflow}px sideways at 320 px: {wide}"
    context.close()
