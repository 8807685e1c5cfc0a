"""GET /occupations/{soc}/similar and /occupations/{soc}/transitions, and the detail's top transitions, on
the built 30.1 platform; answers compared with the tables they are read from."""

import pytest

from occurisk_assets.careers.similarity import COMPONENTS

V = "30.1"


def test_similar_ranks_by_similarity_and_marks_onet_related(client, db_conn):
    body = client.get("/api/v1/occupations/29-1141/similar", params={"limit": 50}).json()
    assert body["meta"]["data_version"] == V and body["title"] == "Registered Nurses"
    items = body["items"]
    assert [i["rank"] for i in items] == list(range(1, 51))
    similarities = [i["similarity"] for i in items]
    assert similarities == sorted(similarities, reverse=True)
    assert "29-2061" in [
        i["soc_code"] for i in items[:20]
    ]  # Licensed Practical and Licensed Vocational Nurses
    related = {
        r[0]: r[1]
        for r in db_conn.execute(
            "SELECT related_soc_code, relatedness_tier FROM marts.occupation_related "
            "WHERE data_version = %s AND soc_code = '29-1141'",
            (V,),
        )
    }
    for item in items:
        assert set(item["components"]) == set(COMPONENTS)
        assert item["onet_related"] == (item["soc_code"] in related)
        assert item["onet_related_tier"] == related.get(item["soc_code"])
        assert item["ai_score"]["mean"] is not None
    used = {name for name, c in body["components"].items() if c["used"]}
    assert used == {"skills", "knowledge", "dwas", "technology", "task_text"}
    assert sum(c["effective_weight"] for c in body["components"].values()) == pytest.approx(1.0, abs=3e-4)
    assert body["onet_primary_short_recall_at_20"] >= 0.65
    assert len(client.get("/api/v1/occupations/29-1141/similar").json()["items"]) == 20


def test_customer_service_transitions_list_ten_safer_moves_with_skill_gaps(client, db_conn):
    body = client.get("/api/v1/occupations/43-4051/transitions").json()
    assert body["filters"] == {"max_job_zone_change": 1, "min_wage_ratio": 0.75, "safer_only": True}
    items = body["items"]
    with_gaps = [i for i in items if i["skill_gaps"]]
    assert len(with_gaps) >= 10
    (expected_total,) = db_conn.execute(
        """SELECT count(*) FROM marts.occupation_transitions WHERE data_version = %s AND soc_code = '43-4051'
           AND is_safer AND job_zone_change <= 1 AND wage_ratio >= 0.75""",
        (V,),
    ).fetchone()
    assert body["total"] == expected_total and len(items) == min(20, expected_total)
    scores = [i["transition_score"] for i in items]
    assert scores == sorted(scores, reverse=True)
    for item in items:
        assert item["safer"] and item["ai_score_change"] < -item["ai_score_uncertainty"]
        assert item["ai_score"]["mean"] < body["ai_score"]["mean"]
        assert item["job_zone_change"] <= 1 and item["wage_ratio"] >= 0.75
        assert item["carries_over"], item["soc_code"]
        for gap in item["skill_gaps"]:
            assert gap["needed_level"] - gap["your_level"] >= 0.75 and gap["importance"] >= 3
    assert body["reason"] is None


def test_filters_widen_and_narrow_the_list(client, db_conn):
    def total(**params):
        return client.get("/api/v1/occupations/43-4051/transitions", params=params).json()["total"]

    (candidates,) = db_conn.execute(
        "SELECT count(*) FROM marts.occupation_transitions WHERE data_version = %s AND soc_code = '43-4051'",
        (V,),
    ).fetchone()
    defaults = total()
    assert total(safer_only="false") > defaults
    assert total(min_wage_ratio=1.0) < defaults
    assert total(max_job_zone_change=0) < defaults
    assert total(max_job_zone_change=4, min_wage_ratio=0, safer_only="false") == candidates
    body = client.get(
        "/api/v1/occupations/43-4051/transitions", params={"min_wage_ratio": 1.2, "max_job_zone_change": 0}
    ).json()
    assert all(i["wage_ratio"] >= 1.2 and i["job_zone_change"] <= 0 for i in body["items"])


def test_an_occupation_without_a_safer_neighbour_says_why(client, db_conn):
    (soc,) = db_conn.execute(
        """SELECT soc_code FROM marts.occupation_transitions WHERE data_version = %s GROUP BY soc_code
           HAVING NOT bool_or(is_safer) ORDER BY soc_code LIMIT 1""",
        (V,),
    ).fetchone()
    body = client.get(f"/api/v1/occupations/{soc}/transitions").json()
    assert (body["total"], body["items"], body["reason"]) == (0, [], "no_similar_occupation_is_safer")
    assert "least exposed" in body["reason_text"]
    assert (
        client.get(f"/api/v1/occupations/{soc}/transitions", params={"safer_only": "false"}).json()["total"]
        > 0
    )


def test_occupation_detail_has_its_top_five_transitions(client):
    detail = client.get("/api/v1/occupations/43-4051").json()
    top = client.get("/api/v1/occupations/43-4051/transitions", params={"limit": 5}).json()["items"]
    assert detail["top_transitions"] == top and len(top) == 5


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/api/v1/occupations/43-4051/similar", {"limit": 0}, "limit"),
        ("/api/v1/occupations/43-4051/similar", {"limit": 51}, "limit"),
        ("/api/v1/occupations/43-4051.00/similar", {}, "soc_code"),
        ("/api/v1/occupations/43-4051/transitions", {"limit": 51}, "limit"),
        ("/api/v1/occupations/43-4051/transitions", {"max_job_zone_change": 5}, "max_job_zone_change"),
        ("/api/v1/occupations/43-4051/transitions", {"max_job_zone_change": "one"}, "max_job_zone_change"),
        ("/api/v1/occupations/43-4051/transitions", {"min_wage_ratio": -0.1}, "min_wage_ratio"),
        ("/api/v1/occupations/43-4051/transitions", {"min_wage_ratio": "half"}, "min_wage_ratio"),
        ("/api/v1/occupations/43-4051/transitions", {"safer_only": "maybe"}, "safer_only"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(client, path, params, parameter):
    response = client.get(path, params=params)
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [parameter]


@pytest.mark.parametrize(
    "path", ["/api/v1/occupations/99-9999/similar", "/api/v1/occupations/99-9999/transitions"]
)
def test_unknown_soc_or_version_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "99-9999" in response.json()["detail"]
    assert client.get(path.replace("99-9999", "43-4051"), params={"version": "29.9"}).status_code == 404
