import math

import pytest

SOC_CODES_30_1 = 867  # distinct SOC codes (first 7 characters) of Occupation Data.txt in O*NET 30.1
SORT_FIELDS = {
    "ai": lambda item: item["ai_score"]["mean"] if item["ai_score"] else None,
    "employment": lambda item: item["employment"],
    "wage": lambda item: (
        math.inf if item["median_annual_wage_flag"] == "top_coded" else item["median_annual_wage"]
    ),
    "growth": lambda item: item["growth_pct"],
    "title": lambda item: item["title"],
}


def all_pages(client, page_size: int, **params) -> tuple[list[dict], int]:
    items, page = [], 1
    while True:
        body = client.get(
            "/api/v1/occupations", params={**params, "page": page, "page_size": page_size}
        ).json()
        assert body["pagination"]["page"] == page and body["pagination"]["page_size"] == page_size
        assert body["pagination"]["pages"] == math.ceil(body["pagination"]["total"] / page_size)
        items += body["items"]
        if page >= body["pagination"]["pages"]:
            return items, body["pagination"]["total"]
        page += 1


def test_list_defaults_to_ai_score_descending_with_pagination_metadata(client):
    body = client.get("/api/v1/occupations").json()
    assert (body["sort"], body["order"], body["search"]) == ("ai", "desc", None)
    assert body["pagination"] == {"total": SOC_CODES_30_1, "page": 1, "page_size": 20, "pages": 44}
    assert len(body["items"]) == 20
    means = [item["ai_score"]["mean"] for item in body["items"]]
    assert means == sorted(means, reverse=True)
    assert body["meta"]["data_version"] == "30.1"


@pytest.mark.parametrize("sort", list(SORT_FIELDS))
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_sort_pages_through_every_occupation_once_in_order(client, db_conn, sort, order):
    items, total = all_pages(client, 100, sort=sort, order=order)
    codes = [item["soc_code"] for item in items]
    expected = {
        r[0]
        for r in db_conn.execute(
            "SELECT DISTINCT soc_code FROM marts.occupation_master WHERE data_version = '30.1'"
        )
    }
    assert total == len(codes) == len(set(codes)) == SOC_CODES_30_1
    assert set(codes) == expected
    keys = [SORT_FIELDS[sort](item) for item in items]
    present = [k for k in keys if k is not None]
    # Values in order, the unknown ones last, ties by SOC code.
    assert keys == present + [None] * (len(keys) - len(present))
    assert present == sorted(present, reverse=(order == "desc"))
    for (k1, c1), (k2, c2) in zip(
        zip(keys, codes, strict=False), zip(keys[1:], codes[1:], strict=False), strict=False
    ):
        if k1 == k2:
            assert c1 < c2


def test_small_pages_concatenate_to_the_large_page_order(client):
    small, _ = all_pages(client, 7, sort="employment")
    large, _ = all_pages(client, 100, sort="employment")
    assert [i["soc_code"] for i in small] == [i["soc_code"] for i in large]


def test_page_past_the_end_is_empty_but_keeps_the_total(client):
    body = client.get("/api/v1/occupations", params={"page": 1000, "page_size": 100}).json()
    assert body["items"] == []
    assert body["pagination"] == {"total": SOC_CODES_30_1, "page": 1000, "page_size": 100, "pages": 9}


def test_list_items_carry_scores_and_bls_figures(client, db_conn):
    items, _ = all_pages(client, 100, sort="title")
    by_code = {item["soc_code"]: item for item in items}
    nurses = by_code["29-1141"]
    assert nurses["title"] == "Registered Nurses"
    # OEWS May 2024 and Employment Projections 2024-34, as published.
    assert (nurses["employment"], nurses["median_annual_wage"], nurses["growth_pct"]) == (3282010, 93600, 4.9)
    assert nurses["bls_match_type"] == "exact"
    mean, std, coverage = db_conn.execute(
        "SELECT mean, std, coverage FROM marts.occupation_ai_score WHERE data_version = '30.1' "
        "AND soc_code = '29-1141'"
    ).fetchone()
    # Served to 4 decimals.
    assert nurses["ai_score"]["mean"] == pytest.approx(mean, abs=5e-5)
    assert nurses["ai_score"]["std"] == pytest.approx(std, abs=5e-5)
    assert nurses["ai_score"]["coverage"] == pytest.approx(coverage, abs=5e-5)
    # Top-coded wages (>= $239,200 in OEWS 2024) are null and flagged, never zero.
    surgeons = by_code["29-1242"]
    assert (surgeons["median_annual_wage"], surgeons["median_annual_wage_flag"]) == (None, "top_coded")
    # Home health aides share their OEWS row with personal care aides (31-1120): flagged as an aggregate.
    assert by_code["31-1121"]["employment"] == by_code["31-1122"]["employment"] == 3988140
    assert by_code["31-1121"]["bls_match_type"] == "aggregate"
    # Military occupations are in neither BLS source.
    assert by_code["55-1011"]["employment"] is None and by_code["55-1011"]["bls_match_type"] == "none"
    unscored = db_conn.execute(
        """SELECT count(DISTINCT m.soc_code) FROM marts.occupation_master m
           WHERE m.data_version = '30.1' AND NOT EXISTS (
               SELECT 1 FROM marts.occupation_ai_score s WHERE s.data_version = m.data_version
               AND s.soc_code = m.soc_code AND s.mean IS NOT NULL)"""
    ).fetchone()[0]
    assert sum(item["ai_score"] is None for item in items) == unscored


def test_wage_sort_puts_top_coded_wages_first(client):
    items = client.get("/api/v1/occupations", params={"sort": "wage", "page_size": 25}).json()["items"]
    top_coded = [i for i in items if i["median_annual_wage_flag"] == "top_coded"]
    assert len(top_coded) == 17
    assert items[:17] == top_coded
    assert items[17]["median_annual_wage"] is not None


def test_detail_of_software_developers(client, db_conn):
    response = client.get("/api/v1/occupations/15-1252", params={"tasks": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["data_version"] == "30.1"
    assert (body["soc_code"], body["title"]) == ("15-1252", "Software Developers")
    assert body["description"].startswith("Research, design, and develop computer and network software")
    assert body["major_group"] == {"code": "15-0000", "title": "Computer and Mathematical Occupations"}
    assert body["job_zone"] == 4
    assert body["onet_occupations"] == [
        {"onetsoc_code": "15-1252.00", "title": "Software Developers", "job_zone": 4, "n_tasks": 17}
    ]
    assert body["n_tasks"] == 17

    oews, projections = body["bls"]["oews"], body["bls"]["projections"]
    assert (oews["ref_year_month"], oews["bls_soc_code"], oews["match_type"]) == (
        "2024-05",
        "15-1252",
        "exact",
    )
    assert (oews["employment"], oews["median_annual_wage"], oews["mean_annual_wage"]) == (
        1654440,
        133080,
        144570,
    )
    assert oews["median_hourly_wage"] == 63.98
    assert projections["projection_period"] == "2024-2034"
    assert (
        projections["employment_base"],
        projections["employment_projected"],
        projections["employment_change"],
    ) == (1693800, 1961400, 267700)
    assert (projections["growth_pct"], projections["annual_openings"]) == (15.8, 115200)
    assert projections["typical_education"] == "Bachelor's degree"

    score = body["ai_score"]
    rank = db_conn.execute(
        """SELECT count(*) + 1 FROM marts.occupation_ai_score WHERE data_version = '30.1'
           AND round(mean::numeric, 4) > (SELECT round(mean::numeric, 4) FROM marts.occupation_ai_score
                                          WHERE data_version = '30.1' AND soc_code = '15-1252')"""
    ).fetchone()[0]
    assert score["rank"] == rank
    assert (
        score["n_ranked"]
        == db_conn.execute(
            "SELECT count(*) FROM marts.occupation_ai_score WHERE data_version = '30.1' AND mean IS NOT NULL"
        ).fetchone()[0]
    )
    assert 0 <= score["percentile"] <= 100
    assert score["n_tasks_scored"] == 17 and score["coverage"] == 1.0

    models = {m["model"]: m for m in body["model_scores"]}
    assert set(models) == {
        r[0]
        for r in db_conn.execute(
            "SELECT model FROM marts.occupation_ai_score_by_model WHERE data_version = '30.1' AND soc_code = '15-1252'"
        )
    }
    assert len(models) >= 2
    model_means = [m["score"] for m in models.values()]  # each to 4 decimals, as the std is
    assert score["std"] == pytest.approx(
        (sum((x - sum(model_means) / len(model_means)) ** 2 for x in model_means) / len(model_means)) ** 0.5,
        abs=2e-4,
    )

    tasks = body["top_tasks"]
    assert len(tasks) == 17
    assert sum(t["weight"] for t in tasks) == pytest.approx(1.0, abs=len(tasks) * 5e-5)  # 4 decimals each
    assert [t["weight"] for t in tasks] == sorted((t["weight"] for t in tasks), reverse=True)
    for task in tasks:
        assert task["onetsoc_code"] == "15-1252.00"
        per_model = [s["score"] for s in task["model_scores"]]
        assert task["ensemble"]["n_models"] == len(per_model) >= 2
        assert task["ensemble"]["mean"] == pytest.approx(sum(per_model) / len(per_model), abs=1e-4)
        assert task["ensemble"]["min"] == min(per_model) and task["ensemble"]["max"] == max(per_model)
    # The occupation score is the weighted mean of its tasks' ensemble means.
    weighted = sum(t["weight"] * t["ensemble"]["mean"] for t in tasks) / sum(t["weight"] for t in tasks)
    assert score["mean"] == pytest.approx(weighted, abs=2e-4)


def test_detail_default_shows_ten_heaviest_tasks(client):
    everything = client.get("/api/v1/occupations/15-1252", params={"tasks": 100}).json()["top_tasks"]
    default = client.get("/api/v1/occupations/15-1252").json()["top_tasks"]
    assert default == everything[:10]


def test_related_occupations_are_flagged_safer_when_their_score_is_lower(client, db_conn):
    body = client.get("/api/v1/occupations/15-1252").json()
    related = body["related_occupations"]
    expected = [
        r[0]
        for r in db_conn.execute(
            """SELECT DISTINCT left(r.related_onetsoc_code, 7) FROM onet_raw.related_occupations r
           WHERE r.data_version = '30.1' AND r.onetsoc_code = '15-1252.00'
           AND left(r.related_onetsoc_code, 7) <> '15-1252'"""
        )
    ]
    assert sorted(r["soc_code"] for r in related) == sorted(expected)
    assert related[0]["relatedness_tier"] == "Primary-Short"
    for other in related:
        if other["ai_score_mean"] is None:
            assert other["safer"] is None
        else:
            assert other["safer"] == (other["ai_score_mean"] < body["ai_score"]["mean"])
    assert any(other["safer"] for other in related) and any(other["safer"] is False for other in related)


def test_detail_of_a_soc_with_several_onet_occupations(client):
    body = client.get("/api/v1/occupations/11-1011").json()
    assert [o["onetsoc_code"] for o in body["onet_occupations"]] == ["11-1011.00", "11-1011.03"]
    assert body["title"] == "Chief Executives"
    assert {
        t["onetsoc_code"]
        for t in client.get("/api/v1/occupations/11-1011", params={"tasks": 100}).json()["top_tasks"]
    } == {"11-1011.00", "11-1011.03"}


def test_detail_without_bls_figures(client):
    body = client.get("/api/v1/occupations/55-1011").json()
    assert body["bls"] == {"oews": None, "projections": None}


def test_unknown_soc_code_is_a_404(client):
    response = client.get("/api/v1/occupations/99-9999")
    assert response.status_code == 404
    assert response.json() == {"detail": "no occupation with SOC code 99-9999 in O*NET 30.1"}
