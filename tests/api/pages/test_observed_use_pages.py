"""Observed use of AI (Anthropic Economic Index) on the pages, read from the built platform (AEI releases
labor_market_impacts and 2025_03_27 matched to 30.1): the occupation page's block and per-task figures,
explore's colouring, scatter and table, compare. Expected values are queried from the marts here."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

from tests.api.pages.test_pages import get_page

CUSTOMER_SERVICE = "43-4051"
# The release an occupation shows: the latest publishing its observed_exposure, else the latest observing
# any of its tasks (api/queries/occupations.py OBSERVED_USE).
OBSERVED_USE = """
    SELECT DISTINCT ON (soc_code) soc_code, aei_release, published_on, observed_exposure, n_tasks_observed
    FROM marts.occupation_observed_use WHERE data_version = '30.1'
    ORDER BY soc_code, observed_exposure IS NULL, published_on DESC, aei_release"""


def observed_text(value) -> str:
    """How the pages write an observed share: 'No observations' (none is not 0%), 'Under 1%', '70%'."""
    if value is None:
        return "No observations"
    if 0 < value < 0.005:
        return "Under 1%"
    return f"{float(value) * 100:.0f}%"


def observed_use(db_conn, soc_code: str):
    return db_conn.execute(f"SELECT * FROM ({OBSERVED_USE}) o WHERE soc_code = %s", [soc_code]).fetchone()


def unobserved_occupation(db_conn) -> str:
    """An occupation no AEI release has any figure for (on 30.1: an "All Other" one, without tasks)."""
    row = db_conn.execute(
        f"""SELECT s.soc_code FROM marts.occupation_summary s
            WHERE s.data_version = '30.1' AND s.soc_code NOT IN (SELECT soc_code FROM ({OBSERVED_USE}) o)
            ORDER BY s.soc_code LIMIT 1"""
    ).fetchone()
    assert row, "the 30.1 build has an occupation without observed use"
    return row[0]


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}">')[1].split("</section>")[0]


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_occupation_page_shows_observed_use_beside_the_score_with_its_release(site, db_conn):
    observed = observed_use(db_conn, CUSTOMER_SERVICE)
    assert observed[1] == "labor_market_impacts" and observed[3] is not None
    release = observed[1].replace("_", " ")  # the release's key in words
    ai_mean = db_conn.execute(
        "SELECT ai_mean FROM marts.occupation_summary WHERE data_version = '30.1' AND soc_code = %s",
        [CUSTOMER_SERVICE],
    ).fetchone()[0]
    response, page = get_page(site, f"/occupation/{CUSTOMER_SERVICE}")
    assert response.status_code == 200
    block = text_of(section(response.text, "observed-heading"))
    assert block.startswith(
        f"Observed use of AI today (Anthropic Economic Index, release “{release}”, published {observed[2]})"
    )
    assert f"What AI could do (AI score) {ai_mean * 100:.0f}%" in block
    assert f"What AI is being used for (observed use) {observed_text(observed[3])}" in block
    assert f"{observed[4]} of this job’s" in block
    assert "The AI score says how much of the work AI could do. Observed use says how much of it" in block
    assert "one AI provider’s users" in block and "that is not the same as nobody using AI for them" in block
    assert "Anthropic Economic Index (CC BY)" in block
    _, korean = get_page(site, f"/occupation/{CUSTOMER_SERVICE}?lang=ko")
    assert (
        f"현재 실제 AI 사용 (Anthropic Economic Index, {observed[2]}에 공개된 “{release}” 자료)"
        in korean.text
    )
    assert f"AI가 실제로 쓰이는 일 (실제 사용) {observed_text(observed[3])}" in korean.text


def test_every_task_shows_its_observed_use_or_no_observations(site, db_conn):
    # An occupation with both kinds of task: observed by the release, and never observed.
    soc_code = db_conn.execute(
        """SELECT w.soc_code FROM marts.occupation_task_weight w
           LEFT JOIN marts.task_observed_use t ON t.data_version = w.data_version AND t.task_id = w.task_id
                AND t.penetration IS NOT NULL
           WHERE w.data_version = '30.1'
           GROUP BY w.soc_code HAVING count(t.task_id) > 0 AND bool_or(t.task_id IS NULL)
                AND bool_or(t.penetration > 0)
           ORDER BY w.soc_code LIMIT 1"""
    ).fetchone()[0]
    expected = dict(
        db_conn.execute(
            """SELECT ts.task_statement,
                      (SELECT t.penetration FROM marts.task_observed_use t
                       WHERE t.data_version = w.data_version AND t.task_id = w.task_id AND t.penetration IS NOT NULL
                       ORDER BY t.published_on DESC, t.aei_release LIMIT 1)
               FROM marts.occupation_task_weight w
               JOIN marts.task_statements ts USING (data_version, task_id)
               WHERE w.data_version = '30.1' AND w.soc_code = %s""",
            [soc_code],
        ).fetchall()
    )
    response = site.get(f"/occupation/{soc_code}")
    tasks = re.findall(
        r'<p class="task-statement">(.*?)</p>.*?<p class="task-observed">Observed use today: (.*?)</p>',
        response.text,
        re.S,
    )
    assert len(tasks) == len(expected)
    shown = {unescape(statement): value for statement, value in tasks}
    assert shown == {statement: observed_text(value) for statement, value in expected.items()}
    assert "No observations" in shown.values() and any(v.endswith("%") for v in shown.values())


def test_an_occupation_without_observed_use_says_so_plainly(site, db_conn):
    soc_code = unobserved_occupation(db_conn)
    response, page = get_page(site, f"/occupation/{soc_code}")
    block = text_of(section(response.text, "observed-heading"))
    assert block.startswith("Observed use of AI today (Anthropic Economic Index)")
    assert "The Anthropic Economic Index has no figures for this job" in block
    assert "release" not in block and "%" not in block
    assert "that is not the same as nobody using AI for them" in block
    assert set(re.findall(r'<p class="task-observed">Observed use today: (.*?)</p>', response.text)) <= {
        "No observations"
    }
    _, korean = get_page(site, f"/occupation/{soc_code}?lang=ko")
    assert "Anthropic Economic Index에는 이 직업에 대한 수치가 없어서" in korean.text


def test_an_occupation_observed_only_through_its_tasks_says_which_part(site, db_conn):
    soc_code, release, n_observed, coverage, penetration, n_tasks = db_conn.execute(
        f"""SELECT o.soc_code, o.aei_release, u.n_tasks_observed, u.penetration_coverage, u.penetration,
                   (SELECT count(*) FROM marts.occupation_task_weight w
                    WHERE w.data_version = '30.1' AND w.soc_code = o.soc_code)
            FROM ({OBSERVED_USE}) o
            JOIN marts.occupation_observed_use u
                ON u.data_version = '30.1' AND u.soc_code = o.soc_code AND u.aei_release = o.aei_release
            WHERE o.observed_exposure IS NULL AND u.penetration > 0 ORDER BY o.soc_code LIMIT 1"""
    ).fetchone()
    response = site.get(f"/occupation/{soc_code}")
    block = text_of(section(response.text, "observed-heading"))
    assert f"release “{release.replace('_', ' ')}”" in block
    assert "What AI is being used for (observed use) No figure for the job as a whole" in block
    assert (
        f"{n_observed} of this job’s {n_tasks} tasks have observations, and they make up "
        f"{float(coverage) * 100:.0f}% of the work. Across those tasks, observed use is "
        f"{observed_text(penetration)}." in block
    )


def scored_with_observed_use(db_conn) -> dict[str, tuple]:
    return {
        soc: (title, ai, exposure)
        for soc, title, ai, exposure in db_conn.execute(
            f"""SELECT s.soc_code, s.title, s.ai_mean, o.observed_exposure FROM marts.occupation_summary s
                LEFT JOIN ({OBSERVED_USE}) o USING (soc_code)
                WHERE s.data_version = '30.1' AND s.ai_rank IS NOT NULL"""
        ).fetchall()
    }


def test_explore_colours_by_observed_use_and_plots_it_against_the_score(site, db_conn):
    jobs = scored_with_observed_use(db_conn)
    with_workers = {
        soc
        for (soc,) in db_conn.execute(
            """SELECT s.soc_code FROM marts.occupation_summary s JOIN marts.soc_bls_metrics b USING (data_version, soc_code)
               WHERE s.data_version = '30.1' AND s.ai_rank IS NOT NULL AND b.employment > 0"""
        ).fetchall()
    }
    response, page = get_page(site, "/explore", params={"colour": "observed"})
    assert response.status_code == 200
    assert '<option value="observed" selected>' in response.text
    assert "Colour key: observed use" in page.text
    # Tiles of jobs the index has no figure for are hatched, not given a colour.
    no_figure = [s for s in with_workers if jobs[s][2] is None]
    assert response.text.count('fill="url(#no-value)"') == len(no_figure) > 0
    assert f"No observations (hatched, {len(no_figure)} jobs)" in page.text
    # The scatter: one point per job with both values, each named with both in words.
    observed = {s: v for s, v in jobs.items() if v[2] is not None}
    scatter = response.text.split('<svg class="scatter"')[1].split("</svg>")[0]
    points = [
        unescape(p) for p in re.findall(r'<circle class="scatter-point"[^>]*><title>(.*?)</title>', scatter)
    ]
    assert sorted(points) == sorted(
        f"{title}: AI score {ai * 100:.0f}%, observed use {observed_text(value)}"
        for title, ai, value in observed.values()
    )
    assert 'role="img"' in response.text.split('<svg class="scatter"')[1].split(">")[0]
    n_zero = sum(v[2] == 0 for v in observed.values())
    assert f"A scatter chart of {len(observed)} jobs." in unescape(scatter)
    assert f"{n_zero} jobs have an observed use of 0%" in unescape(scatter)
    assert (
        f"{len(jobs) - len(observed)} jobs with no figure in the Anthropic Economic Index are not shown."
        in page.text
    )
    # The table alternative: the same values, in the ranking's observed-use column.
    rows = re.findall(
        r'<th scope="row"><a href="/occupation/(\d\d-\d{4})">.*?</th>(?:\s*<td[^>]*>.*?</td>){4}\s*<td class="num">(.*?)</td>',
        response.text,
        re.S,
    )
    assert dict(rows) == {soc: observed_text(v[2]) for soc, v in jobs.items()}
    assert "/explore?sort=observed&amp;order=desc&amp;colour=observed#ranking" in response.text


def test_explore_sorts_and_downloads_observed_use_and_refuses_an_unknown_colour(site, db_conn):
    jobs = scored_with_observed_use(db_conn)
    response = site.get("/explore", params={"sort": "observed", "order": "desc"})
    order = re.findall(r'<th scope="row"><a href="/occupation/(\d\d-\d{4})">', response.text)
    values = [jobs[s][2] for s in order]
    known = [v for v in values if v is not None]
    assert values[: len(known)] == known and known == sorted(known, reverse=True)
    assert re.search(
        r'aria-sort="descending">\s*<a href="/explore\?sort=observed&amp;order=asc#ranking">', response.text
    )
    download = site.get("/explore.csv", params={"sort": "observed", "order": "desc"})
    table = list(csv.DictReader(io.StringIO(download.text)))
    assert [r["soc_code"] for r in table] == order
    by_soc = {r["soc_code"]: r["observed_exposure"] for r in table}
    assert float(by_soc[CUSTOMER_SERVICE]) == float(jobs[CUSTOMER_SERVICE][2])
    assert {by_soc[s] for s, v in jobs.items() if v[2] is None} == {""}
    response, page = get_page(site, "/explore", params={"colour": "rainbow"})
    assert response.status_code == 400
    assert "The map can be coloured by “ai” or “observed” only." in page.text and "rainbow" not in page.text


def test_compare_includes_observed_use(site, db_conn):
    observed = observed_use(db_conn, CUSTOMER_SERVICE)
    other = unobserved_occupation(db_conn)
    response, page = get_page(site, "/compare", params=[("soc", CUSTOMER_SERVICE), ("soc", other)])
    assert response.status_code == 200
    row = re.search(r'<tr><th scope="row">Observed use today</th>(.*?)</tr>', response.text).group(1)
    cells = [text_of(c) for c in re.findall(r"<td>(.*?)</td>", row)]
    assert cells == [
        f"{observed_text(observed[3])} release “{observed[1].replace('_', ' ')}”, published {observed[2]}",
        "No observations",
    ]
    assert "one AI provider’s users" in page.text
    _, korean = get_page(site, "/compare", params=[("soc", CUSTOMER_SERVICE), ("soc", other), ("lang", "ko")])
    assert (
        "현재 실제 AI 사용" in korean.text
        and f"{observed[2]}에 공개된 “{observed[1].replace('_', ' ')}” 자료" in korean.text
    )
