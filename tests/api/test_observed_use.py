"""Observed use of AI (Anthropic Economic Index) in the JSON API, on the built platform (AEI releases
labor_market_impacts and 2025_03_27 loaded and matched to 30.1): detail, per task, list sort, meta."""

from tests.api.test_occupations import all_pages


def test_detail_shows_observed_use_with_its_release(client):
    body = client.get("/api/v1/occupations/43-4051", params={"tasks": 100}).json()
    observed = body["observed_use"]
    assert (observed["aei_release"], observed["published_on"], observed["observed_exposure"]) == (
        "labor_market_impacts",
        "2026-03-05",
        0.7011,
    )
    assert 0 < observed["penetration"] <= 1 and 0 < observed["penetration_coverage"] <= 1
    assert "Anthropic Economic Index" in body["meta"]["observed_use_attribution"]
    penetrations = [t["observed_penetration"] for t in body["top_tasks"]]
    assert any(p is not None and p > 0 for p in penetrations)
    assert all(p is None or 0 <= p <= 1 for p in penetrations)


def test_an_occupation_no_release_observes_has_none(client):
    # 11-2033 (Fundraising Managers) is an O*NET 30.1 SOC code missing from job_exposure.csv.
    body = client.get("/api/v1/occupations/11-2033").json()
    assert body["observed_use"] is None or body["observed_use"]["observed_exposure"] is None


def test_list_sorts_by_observed_use_nulls_last(client):
    items, total = all_pages(client, 100, sort="observed")
    values = [item["observed_exposure"] for item in items]
    observed = [v for v in values if v is not None]
    assert values[: len(observed)] == observed  # every null after every number
    assert observed == sorted(observed, reverse=True)
    assert (items[0]["soc_code"], observed[0]) == ("15-1251", 0.7451)
    assert len(observed) == 756 and observed.count(0.0) == 411
    ascending = client.get("/api/v1/occupations", params={"sort": "observed", "order": "asc"}).json()
    assert [i["observed_exposure"] for i in ascending["items"]][:3] == [0.0, 0.0, 0.0]
