"""What each page says, read from the real 30.1 build and checked against the JSON API and the database."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest

TRUCK_DRIVERS = "53-3032"


class Page(HTMLParser):
    """The parts of a page the tests read: text, headings, links, sources, elements by class."""

    def __init__(self, html: str):
        super().__init__()
        self.text_parts: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.links: list[str] = []
        self.sources: list[str] = []
        self.classes: dict[str, int] = {}
        self._heading: list | None = None
        self.lang = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        for cls in (attrs.get("class") or "").split():
            self.classes[cls] = self.classes.get(cls, 0) + 1
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        for name in ("src", "href", "action"):
            if name in attrs and tag != "a":
                self.sources.append(attrs[name])

    def handle_endtag(self, tag):
        if self._heading and re.fullmatch(r"h[1-6]", tag):
            self.headings.append((self._heading[0], " ".join(self._heading[1].split())))
            self._heading = None

    def handle_data(self, data):
        self.text_parts.append(data)
        if self._heading is not None:
            self._heading[1] += data

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())


def get_page(site, path, **kwargs):
    response = site.get(path, **kwargs)
    return response, Page(response.text)


def test_home_asks_what_your_job_is_in_english_and_korean(site):
    response, page = get_page(site, "/")
    assert response.status_code == 200 and page.lang == "en"
    assert "What is your job?" in page.text
    assert "O*NET 30.1" in page.text
    response, page = get_page(site, "/?lang=ko")
    assert page.lang == "ko" and "어떤 일을 하시나요?" in page.text
    assert response.cookies.get("lang") == "ko"
    # The switch is remembered.
    assert get_page(site, "/")[1].lang == "ko"
    # The browser's language when nothing else says.
    site.cookies.clear()
    assert get_page(site, "/", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"})[1].lang == "ko"
    assert get_page(site, "/", headers={"Accept-Language": "fr-FR,en;q=0.5"})[1].lang == "en"


@pytest.mark.parametrize(
    ("query", "soc_code"), [("truck driver", TRUCK_DRIVERS), ("casheir", "41-2011"), ("RN", "29-1141")]
)
def test_search_finds_lay_titles_and_typos_like_the_api(site, query, soc_code):
    api = site.get("/api/v1/occupations", params={"search": query}).json()
    response, page = get_page(site, "/search", params={"q": query})
    assert response.status_code == 200
    first = next(link for link in page.links if link.startswith("/occupation/"))
    assert first == f"/occupation/{soc_code}" == f"/occupation/{api['items'][0]['soc_code']}"
    assert f"{api['pagination']['total']} jobs found." in page.text
    assert page.classes["result"] == min(api["pagination"]["total"], 20)


def test_search_with_no_match_says_so_and_suggests_titles(site):
    response, page = get_page(site, "/search", params={"q": "zzqx"})
    assert response.status_code == 200
    assert "No job matches “zzqx”." in page.text
    _, near = get_page(site, "/search", params={"q": "truckk drivr xq"})
    assert near.classes.get("result") or "Did you mean:" in near.text


def test_occupation_page_explains_the_score_and_lists_every_task(site, db_conn):
    api = site.get(f"/api/v1/occupations/{TRUCK_DRIVERS}", params={"tasks": 100}).json()
    response, page = get_page(site, f"/occupation/{TRUCK_DRIVERS}")
    assert response.status_code == 200
    assert page.headings[0] == (1, "Heavy and Tractor-Trailer Truck Drivers")
    pct = round(api["ai_score"]["mean"] * 100)
    assert f"About {pct}% of the work in this job is work today’s AI could do." in page.text
    low = round(min(m["score"] for m in api["model_scores"]) * 100)
    high = round(max(m["score"] for m in api["model_scores"]) * 100)
    assert f"The raters’ estimates range from {low}% to {high}%." in page.text
    # Raters in plain words, one table row each, never as their ids.
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th>', response.text.split("</caption>")[1].split("</table>")[0]
    )
    assert rows == ["GPT-4, published study", "People, published study"]
    assert [m["model"] for m in api["model_scores"]] == [
        "published:gpt4_exposure",
        "published:human_exposure",
    ]
    assert "published:gpt4_exposure" not in page.text
    # Every task once, most exposed first.
    assert page.classes["task"] == api["n_tasks"] == len(api["top_tasks"])
    scores = [float(s) for s in re.findall(r'<span class="task-pct">(\d+)%</span>', response.text)]
    assert scores == sorted(scores, reverse=True)
    # The least exposed tasks are called out.
    lowest = min(api["top_tasks"], key=lambda t: (t["ensemble"]["mean"], -t["weight"], t["task_id"]))
    callout = response.text.split('id="least-heading"')[1].split("</section>")[0]
    assert lowest["statement"] in callout
    # BLS figures as the API gives them, and the O*NET-SOC detail occupations.
    assert f"{api['bls']['oews']['employment']:,}" in page.text
    assert f"${api['bls']['oews']['median_annual_wage']:,}" in page.text
    for onet in api["onet_occupations"]:
        assert onet["onetsoc_code"] in page.text
    assert "O*NET 30.1 Database" in page.text
    # Heading levels never skip (h1, then h2s, h3s inside).
    levels = [level for level, _ in page.headings]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_llm_rationales_show_on_the_page(site, db_conn):
    soc_code, rationale = db_conn.execute(
        """SELECT c.soc_code, s.rationale FROM marts.task_model_score s
           JOIN marts.task_catalog c USING (data_version, task_id)
           WHERE s.data_version = '30.1' AND s.rationale IS NOT NULL ORDER BY s.task_id LIMIT 1"""
    ).fetchone()
    _, page = get_page(site, f"/occupation/{soc_code}")
    assert rationale in page.text


def test_safer_moves_are_the_careers_transitions_with_what_carries_over_and_the_gaps(site):
    api = site.get(f"/api/v1/occupations/{TRUCK_DRIVERS}/transitions", params={"limit": 5}).json()
    assert api["items"], "the 30.1 build has safer moves for truck drivers"
    response = site.get(f"/occupation/{TRUCK_DRIVERS}")
    section = response.text.split('id="transitions-heading"')[1].split("</section>")[0]
    links = re.findall(r'<h3 class="card-title"><a href="/occupation/(\d\d-\d{4})\?from=53-3032">', section)
    assert links == [move["soc_code"] for move in api["items"]]
    first = api["items"][0]
    card = Page(section.split('<li class="card">')[1])
    for item in first["carries_over"][:6]:
        assert item["name"] in card.text
    for gap in first["skill_gaps"][:5]:
        assert f"{gap['element']}: level {gap['needed_level']:.1f} needed" in card.text
    assert f"— {round(-first['ai_score_change'] * 100)} points lower than this job." in card.text
    assert f"/compare?soc={TRUCK_DRIVERS}&amp;soc={first['soc_code']}" in section


def test_a_job_without_a_safer_move_says_why(site, db_conn):
    soc_code = db_conn.execute(
        """SELECT s.soc_code FROM marts.occupation_summary s WHERE s.data_version = '30.1'
           AND s.ai_rank IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM marts.occupation_transitions t WHERE t.data_version = s.data_version
               AND t.soc_code = s.soc_code AND t.is_safer) ORDER BY s.ai_mean LIMIT 1"""
    ).fetchone()[0]
    api = site.get(f"/api/v1/occupations/{soc_code}/transitions").json()
    assert api["total"] == 0
    response, page = get_page(site, f"/occupation/{soc_code}")
    assert "No safer related job was found." in page.text
    assert api["reason"] == "no_similar_occupation_is_safer"
    assert "this job is already among the least exposed of its kind" in page.text


def test_unknown_and_malformed_occupations_get_friendly_pages(site):
    response, page = get_page(site, "/occupation/99-9999")
    assert response.status_code == 404
    assert "There is no job with SOC code 99-9999." in page.text and "search-form" in page.classes
    response, page = get_page(site, "/occupation/truck")
    assert response.status_code == 400
    assert "“truck” is not a SOC code." in page.text
    response, page = get_page(site, "/no/such/page?lang=ko")
    assert response.status_code == 404 and page.lang == "ko" and "페이지를 찾을 수 없습니다" in page.text
    assert "Traceback" not in response.text


def test_bad_parameters_get_a_page_naming_each_problem(site):
    response, page = get_page(site, "/explore", params={"job_zone": "9", "sort": "salary"})
    assert response.status_code == 400
    assert "The job zone must be a number from 1 to 5." in page.text
    assert "The table cannot be sorted by “salary”." in page.text
    response, page = get_page(site, "/?lang=fr")
    assert response.status_code == 400 and "The language must be “en” or “ko”." in page.text
    response, page = get_page(site, "/explore", params={"version": "99.9"})
    assert response.status_code == 404 and "O*NET version “99.9” is not loaded." in page.text
    response, page = get_page(site, "/search", params={"q": "x" * 101})
    assert response.status_code == 400 and "at most 100 letters" in page.text


def test_explore_shows_every_scored_job_in_the_treemap_and_the_table(site):
    api = site.get("/api/v1/rankings/ai_risk").json()
    response, page = get_page(site, "/explore")
    assert response.status_code == 200
    with_workers = [i for i in api["items"] if i["employment"]]
    assert page.classes["tile"] == len(with_workers)
    rows = re.findall(r'<th scope="row"><a href="/occupation/(\d\d-\d{4})">', response.text)
    assert rows == [i["soc_code"] for i in api["items"]]  # rank order by default
    assert f"{api['total']} jobs, sorted by Rank." in page.text


def test_explore_filters_sorts_and_downloads_what_it_shows(site):
    params = {"major_group": "15", "job_zone": "4", "sort": "wage", "order": "desc"}
    api = site.get("/api/v1/rankings/ai_risk", params={"major_group": "15", "job_zone": 4}).json()
    response = site.get("/explore", params=params)
    rows = re.findall(r'<th scope="row"><a href="/occupation/(\d\d-\d{4})">', response.text)
    assert sorted(rows) == sorted(i["soc_code"] for i in api["items"]) and rows
    wages = {i["soc_code"]: i["median_annual_wage"] for i in api["items"]}
    known = [wages[s] for s in rows if wages[s] is not None]
    assert known == sorted(known, reverse=True)
    assert 'aria-sort="descending"' in response.text
    download = site.get("/explore.csv", params=params)
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(download.text)))
    assert [r["soc_code"] for r in table] == rows
    assert {r["major_group"] for r in table} == {"15-0000"} and {r["job_zone"] for r in table} == {"4"}


def test_compare_puts_jobs_side_by_side(site):
    response, page = get_page(site, "/compare", params=[("soc", TRUCK_DRIVERS), ("soc", "15-1252")])
    assert response.status_code == 200
    assert "Heavy and Tractor-Trailer Truck Drivers" in page.text and "Software Developers" in page.text
    for soc in (TRUCK_DRIVERS, "15-1252"):
        pct = round(site.get(f"/api/v1/occupations/{soc}").json()["ai_score"]["mean"] * 100)
        assert f"AI score: {pct}%" in page.text
    assert page.classes["compare-chart"] == 1
    assert get_page(site, "/compare")[0].status_code == 200  # the empty form
    response, page = get_page(site, "/compare", params={"soc": TRUCK_DRIVERS})
    assert response.status_code == 400 and "Choose two or three jobs to compare (you gave 1)." in page.text
    response, page = get_page(site, "/compare", params=[("soc", TRUCK_DRIVERS), ("soc", "53")])
    assert response.status_code == 400 and "“53” is not a SOC code." in page.text


def test_methodology_and_changes(site, db_conn):
    _, page = get_page(site, "/methodology")
    assert page.headings[0] == (1, "How the scores are made")
    _, page = get_page(site, "/methodology?lang=ko")
    assert page.headings[0] == (1, "점수를 만드는 방법")
    response, page = get_page(site, "/changes")
    n_scored = db_conn.execute(
        "SELECT count(ai_rank) FROM marts.occupation_summary WHERE data_version = '30.1'"
    ).fetchone()[0]
    assert re.search(
        rf"<th scope=\"row\">30.1</th>.*?<td class=\"num\">867</td><td class=\"num\">{n_scored}</td>",
        response.text,
        re.S,
    )


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=nurse",
        f"/occupation/{TRUCK_DRIVERS}",
        "/explore",
        "/compare",
        "/methodology",
        "/changes",
    ],
)
def test_pages_load_nothing_from_elsewhere(site, path):
    response, page = get_page(site, path)
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    for source in page.sources:
        assert source.startswith("/"), source
    assert not any(link.startswith(("http:", "https:", "//")) for link in page.links)


def test_static_files_are_served(site):
    response = site.get("/static/style.css")
    assert response.status_code == 200 and "font-size: 112.5%" in response.text


def test_the_database_being_down_is_a_page_not_a_trace(built_database):
    from fastapi.testclient import TestClient

    from api.config import ApiSettings
    from api.main import create_app

    unreachable = "postgresql://postgres@127.0.0.1:9/occurisk?connect_timeout=1"
    settings = ApiSettings(api_pool_min_size=1, api_pool_timeout_s=1)
    with TestClient(create_app(unreachable, settings)) as down:
        response = down.get("/occupation/53-3032")
    assert response.status_code == 503
    assert "The data is not available right now." in response.text


def test_rater_names_read_as_words_in_both_languages():
    from api.pages.render import Formatter

    english, korean = Formatter("en"), Formatter("ko")
    assert english.rater("published:human_exposure") == "People, published study"
    assert korean.rater("published:human_exposure") == "사람 평가자 (발표된 연구)"
    assert english.rater("openai:gpt-4.1-mini") == "OpenAI gpt-4.1-mini, scored by occurisk"
    assert korean.rater("anthropic:claude-haiku-4-5") == "Anthropic claude-haiku-4-5 (occurisk 채점)"
    assert english.rater("published:new_column") == "new_column, published study"
