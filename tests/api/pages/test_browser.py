"""The pages in a real browser (Debian's Chromium through Playwright, against uvicorn): axe-core finds no
serious or critical violation on any page type in English or Korean; a keyboard alone goes from a search to
a safer job and a comparison; a 375 px phone screen never scrolls sideways; pages keep their content
without JavaScript. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import pytest

from tests.browser import AXE, VIOLATIONS_ONLY, serious_violations, tab_to

TRUCK_DRIVERS = "53-3032"
PAGE_TYPES = {
    "home": "/",
    "search": "/search?q=truck+driver",
    "no-results": "/search?q=zzqx",
    "occupation": f"/occupation/{TRUCK_DRIVERS}",
    # Observed use (Anthropic Economic Index): published for Customer Service Representatives, none at all
    # for Education Administrators, All Other (no tasks).
    "occupation-observed": "/occupation/43-4051",
    "occupation-unobserved": "/occupation/11-9039",
    "explore": "/explore",
    "explore-observed": "/explore?colour=observed",
    "compare": f"/compare?soc={TRUCK_DRIVERS}&soc=15-1252&soc=29-1141",
    "methodology": "/methodology",
    "changes": "/changes",
    "not-found": "/occupation/99-9999",
    "bad-request": "/explore?job_zone=9",
}


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_serious_accessibility_violations(browser, live_server, screenshots, name, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=lang)
    page = context.new_page()
    separator = "&" if "?" in PAGE_TYPES[name] else "?"
    page.goto(f"{live_server}{PAGE_TYPES[name]}{separator}lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    serious = serious_violations(page)
    assert serious == [], serious
    # High contrast mode: the same page, AAA contrast (axe's color-contrast-enhanced rule).
    if name in ("home", "occupation", "occupation-observed", "explore", "explore-observed"):
        page.goto(f"{live_server}{PAGE_TYPES[name]}{separator}lang={lang}&contrast=high")
        enhanced = AXE.run(
            page,
            options={"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}, **VIOLATIONS_ONLY},
        )
        assert [v["id"] for v in enhanced.response["violations"]] == []
    page.screenshot(path=screenshots / f"{name}-{lang}-desktop.png", full_page=not name.startswith("explore"))
    context.close()


def test_keyboard_only_journey_search_occupation_transition_compare(browser, live_server, screenshots):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    tab_to(page, "#q")
    page.keyboard.type("truck driver")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=truck+driver")
    tab_to(page, ".result-title a")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/occupation/{TRUCK_DRIVERS}")
    assert page.locator("h1").inner_text() == "Heavy and Tractor-Trailer Truck Drivers"
    # A rater's reasons open from the keyboard.
    tab_to(page, "summary")
    page.keyboard.press("Enter")
    assert page.locator("details").first.get_attribute("open") is not None
    tab_to(page, ".card-title a")
    transition = page.evaluate("() => document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_url("**/occupation/*?from=53-3032")
    assert page.locator("h1").inner_text() == transition
    tab_to(page, "a.compare-from")
    page.keyboard.press("Enter")
    page.wait_for_url("**/compare?**")
    headers = page.locator("table.compare thead th").all_inner_texts()
    assert any("Heavy and Tractor-Trailer Truck Drivers" in h for h in headers)
    assert any(transition in h for h in headers)
    page.screenshot(path=screenshots / "journey-compare.png", full_page=True)
    context.close()


@pytest.mark.parametrize("width", [375, 320])
def test_phone_screens_never_scroll_sideways(browser, live_server, screenshots, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    for name in (
        "home",
        "search",
        "occupation",
        "occupation-observed",
        "explore",
        "explore-observed",
        "compare",
        "changes",
        "methodology",
    ):
        for lang in ("en", "ko"):
            path = PAGE_TYPES[name]
            page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={lang}")
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} ({lang}) scrolls {overflow}px sideways at {width}px"
            if width == 375:
                page.screenshot(
                    path=screenshots / f"{name}-{lang}-375.png", full_page=not name.startswith("explore")
                )
    context.close()


def test_text_is_large_and_targets_are_big(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/occupation/{TRUCK_DRIVERS}")
    size, line = page.evaluate(
        "() => { const s = getComputedStyle(document.body); return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; }"
    )
    assert size >= 18 and line / size >= 1.5
    small = page.evaluate(
        """() => [...document.querySelectorAll('a, button, input, select, summary')]
               .filter(e => e.offsetParent !== null && !e.closest('p, li, td, dd, figcaption') )
               .map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect()])
               .filter(([, r]) => r.height < 44 || r.width < 44)
               .map(([t, r]) => t + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))"""
    )
    assert small == []
    context.close()


def test_pages_show_their_content_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/occupation/{TRUCK_DRIVERS}")
    assert page.locator("h1").inner_text() == "Heavy and Tractor-Trailer Truck Drivers"
    assert page.locator("li.task").count() > 10
    assert page.locator("svg.gauge").is_visible()
    page.locator("summary").first.click()  # native <details>: opens without a script
    assert page.locator("details .raters").first.is_visible()
    page.goto(f"{live_server}/explore?major_group=53")
    assert page.locator("svg.treemap rect.tile").count() > 10
    page.select_option("#job_zone", "2")
    page.locator(".filters button").click()
    page.wait_for_url("**job_zone=2**")
    assert page.locator("table.ranking tbody tr").count() > 0
    context.close()
