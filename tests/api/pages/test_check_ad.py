"""The "Check a job ad" page through the app (the built 30.1 platform and its production occupation coder):
a plain POST form, an error summary naming each field to fix, the result agreeing with
POST /api/v1/postings/code, English and Korean interface text. The browser checks are in
tests/postings/test_done_when.py."""

from __future__ import annotations

import re

from markupsafe import escape

from api.pages.routes.check_ad import DESCRIPTION_MAX
from tests.api.pages.forms import post_form

AD = {
    "title": "Warehouse Associate - Day Shift",
    "description": (
        "<p>Our distribution centre is hiring a warehouse associate for the day shift.</p><ul>"
        "<li>Pick and pack customer orders using a handheld scanner</li>"
        "<li>Load and unload trucks and move pallets with a pallet jack</li>"
        "<li>Count stock and record inventory in the warehouse system</li>"
        "<li>Keep the loading dock and aisles clean and safe</li></ul>"
    ),
}


def post_ad(site, data: dict):
    return post_form(site, "/check-job-ad", "/check-job-ad", data)


def summary_links(html: str) -> list[tuple[str, str]]:
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    return re.findall(r'<a href="(#\w+)">([^<]+)</a>', summary)


def test_the_form_is_plain_html_and_linked_from_home(site):
    form = site.get("/check-job-ad")
    assert form.status_code == 200
    assert '<form class="ad-form" action="/check-job-ad" method="post"' in form.text
    assert "<script" not in form.text  # works with JavaScript off
    home = site.get("/").text
    assert home.count('href="/check-job-ad"') == 2  # the menu and the home page's own link


def test_empty_fields_give_an_error_summary_linking_to_each(site):
    response = post_ad(site, {"title": " ", "description": ""})
    assert response.status_code == 400
    assert summary_links(response.text) == [
        ("#title", "Enter the job title of the ad."),
        ("#description", "Paste the text of the ad."),
    ]
    assert 'id="title-error"' in response.text and 'aria-invalid="true"' in response.text
    assert response.text.count('aria-invalid="true"') == 2
    assert "<title>Error: Check a job ad" in response.text


def test_too_long_or_tags_only_names_the_description_and_keeps_the_title(site):
    long = post_ad(site, {"title": "Cook", "description": "x" * (DESCRIPTION_MAX + 1)})
    assert long.status_code == 400
    assert summary_links(long.text) == [("#description", "The ad is too long: use at most 50,000 letters.")]
    assert 'value="Cook"' in long.text
    tags = post_ad(site, {"title": "Cook", "description": "<p> </p><br>"})
    assert tags.status_code == 400
    assert summary_links(tags.text) == [("#description", "Paste the text of the ad.")]


def test_the_result_is_the_coded_ad(site):
    api = site.post("/api/v1/postings/code", json=AD).json()
    page = post_ad(site, AD)
    assert page.status_code == 200
    html = page.text
    for occupation in api["occupations"]:
        assert f'<a href="/occupation/{occupation["soc_code"]}">{escape(occupation["title"])}</a>' in html
        assert f"How sure we are: {round(occupation['confidence'] * 100)}%" in html
    top = api["occupations"][0]
    assert f"This is the score of {escape(top['title'])}: about {round(api['ai_score'] * 100)}%" in html
    most = html.split('id="most-exposed"')[1].split("</ol>")[0]
    least = html.split('id="least-exposed"')[1].split("</ol>")[0]
    assert [d["duty"] for d in api["most_exposed_duties"]] == re.findall(
        r'<p class="duty-text">([^<]+)', most
    )
    assert [d["duty"] for d in api["least_exposed_duties"]] == re.findall(
        r'<p class="duty-text">([^<]+)', least
    )
    for duty in api["most_exposed_duties"]:
        assert escape(duty["task_statement"]) in most
    assert ("We are not sure which job this is" in html) == api["low_confidence"]


def test_korean_interface_and_a_korean_ad(site):
    site.cookies.set("lang", "ko")
    form = site.get("/check-job-ad").text
    assert "구인 광고 확인하기" in form and "광고의 직업 이름" in form
    empty = post_ad(site, {"title": "", "description": "x"})
    assert summary_links(empty.text) == [("#title", "광고의 직업 이름을 적어 주세요.")]
    ad = {
        "title": "간호사 모집",
        "description": "환자 간호와 투약 관리를 담당할 간호사를 모집합니다. 병원 경력 우대.",
    }
    korean = post_ad(site, ad)
    assert korean.status_code == 200 and "/occupation/29-1141" in korean.text  # coded, not refused
    assert "아닌 것 같아서" not in korean.text
    spanish = {
        "title": "Enfermera",
        "description": "Buscamos enfermera para cuidar pacientes en el hospital.",
    }
    refused = post_ad(site, spanish)
    assert refused.status_code == 200 and "영어도 한국어도 아닌 것 같아서" in refused.text
