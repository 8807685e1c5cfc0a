def test_ranking_lists_every_scored_occupation(client, db_conn):
    scored = {
        r[0]: r[1]
        for r in db_conn.execute(
            "SELECT soc_code, round(mean::numeric, 4)::float8 FROM marts.occupation_ai_score "
            "WHERE data_version = '30.1' AND mean IS NOT NULL"
        )
    }
    body = client.get("/api/v1/rankings/ai_risk").json()
    assert body["meta"]["data_version"] == "30.1" and body["order"] == "desc"
    assert body["total"] == len(body["items"]) == len(scored)
    assert {i["soc_code"]: i["ai_score"]["mean"] for i in body["items"]} == scored
    means = [i["ai_score"]["mean"] for i in body["items"]]
    assert means == sorted(means, reverse=True)
    assert body["items"][0]["rank"] == 1 and body["items"][0]["percentile"] == 100.0
    # rank = 1 + the number of occupations scoring strictly higher
    for item in body["items"]:
        assert item["rank"] == 1 + sum(m > item["ai_score"]["mean"] for m in means)


def test_ranking_ascending_and_limited(client):
    descending = client.get("/api/v1/rankings/ai_risk").json()["items"]
    ascending = client.get("/api/v1/rankings/ai_risk", params={"order": "asc", "limit": 5}).json()
    assert len(ascending["items"]) == 5 and ascending["total"] == len(descending)
    assert [i["ai_score"]["mean"] for i in ascending["items"]] == sorted(
        i["ai_score"]["mean"] for i in descending
    )[:5]


def test_ranking_filters(client, db_conn):
    everything = client.get("/api/v1/rankings/ai_risk").json()["items"]
    computer = client.get("/api/v1/rankings/ai_risk", params={"major_group": "15"}).json()
    assert computer["total"] == sum(i["soc_code"].startswith("15-") for i in everything) > 10
    assert {i["major_group"] for i in computer["items"]} == {"15-0000"}
    assert client.get("/api/v1/rankings/ai_risk", params={"major_group": "15-0000"}).json() == computer
    # Ranks stay those of the whole ranking.
    overall = {i["soc_code"]: i["rank"] for i in everything}
    assert all(overall[i["soc_code"]] == i["rank"] for i in computer["items"])

    zone_5 = client.get("/api/v1/rankings/ai_risk", params={"job_zone": 5}).json()
    assert zone_5["total"] == sum(i["job_zone"] == 5 for i in everything) > 10

    big = client.get("/api/v1/rankings/ai_risk", params={"min_employment": 1_000_000}).json()
    assert big["total"] == sum((i["employment"] or 0) >= 1_000_000 for i in everything) > 5
    assert all(i["employment"] >= 1_000_000 for i in big["items"])

    combined = client.get(
        "/api/v1/rankings/ai_risk", params={"major_group": "29", "job_zone": 3, "min_employment": 100_000}
    ).json()
    assert combined["total"] == sum(
        i["soc_code"].startswith("29-") and i["job_zone"] == 3 and (i["employment"] or 0) >= 100_000
        for i in everything
    )
    assert client.get("/api/v1/rankings/ai_risk", params={"major_group": "99"}).json()["total"] == 0
