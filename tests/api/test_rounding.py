"""Every number in the API's answers has at most 4 decimals (api/schemas/common.py, ANSWER_DECIMALS), read from
real answers over the built 30.1 platform, while the tables keep their full precision."""

from __future__ import annotations

from collections.abc import Iterator


def _floats(value) -> Iterator[float]:
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _floats(v)
    elif isinstance(value, list):
        for v in value:
            yield from _floats(v)


def _answers(client, db_conn) -> Iterator[tuple[str, object]]:
    def get(path: str, **params):
        response = client.get(path, params=params)
        assert response.status_code == 200, (path, response.text)
        return path, response.json()

    yield get("/api/v1/health")
    yield get("/api/v1/versions")
    ranking = get("/api/v1/rankings/ai_risk")
    yield ranking
    first = get("/api/v1/occupations", page_size=100)
    yield first
    for page in range(2, first[1]["pagination"]["pages"] + 1):
        yield get("/api/v1/occupations", page_size=100, page=page)
    yield get("/api/v1/occupations", search="nurse", page_size=100)
    for sort in ("employment", "wage", "growth"):
        yield get("/api/v1/occupations", sort=sort, page_size=100)
    items = ranking[1]["items"]
    for item in items[:: max(1, len(items) // 25)]:  # 25 occupations across the ranking
        soc = item["soc_code"]
        yield get(f"/api/v1/occupations/{soc}", tasks=100)
        yield get(f"/api/v1/occupations/{soc}/similar")
        yield get(f"/api/v1/occupations/{soc}/transitions")
    for (task_id,) in db_conn.execute(
        "SELECT task_id FROM marts.task_catalog WHERE data_version = '30.1' ORDER BY task_id LIMIT 20"
    ):
        yield get(f"/api/v1/tasks/{task_id}")


def test_no_float_in_an_answer_has_more_than_4_decimals(client, db_conn):
    checked = 0
    for path, body in _answers(client, db_conn):
        for value in _floats(body):
            assert round(value, 4) == value, f"{path}: {value!r} has more than 4 decimals"
            checked += 1
    assert checked > 20_000  # scores, shares, weights, similarities, ratios and wages of every kind of answer


def test_the_tables_keep_full_precision_and_the_answer_rounds_it(client, db_conn):
    task_id, soc, weight = db_conn.execute(
        """SELECT task_id, soc_code, weight::float8 FROM marts.occupation_task_weight
           WHERE data_version = '30.1' AND round(weight::numeric, 4) <> weight::numeric
           ORDER BY task_id LIMIT 1"""
    ).fetchone()
    [served] = [
        o for o in client.get(f"/api/v1/tasks/{task_id}").json()["occupations"] if o["soc_code"] == soc
    ]
    assert served["weight"] == round(weight, 4) != weight
