"""The Task Ratings path on the real excerpt (864 rows, 96 tasks of 5 O*NET-SOC codes) placed into 30.1."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from occurisk_assets.defs.dbt.assets import onet_dbt_models
from tests.dbt.helpers import build, failed_checks, load_onet, mart_counts, query
from tests.dbt.onet_files import rating_figures, read_rows, spread_over_soc, task_type_raw_weight

pytestmark = pytest.mark.usefixtures("module_database")

RATED_CODES = {"11-1011.00", "11-1011.03", "11-1021.00", "11-2011.00", "11-2021.00"}


@pytest.fixture(scope="module")
def release_with_ratings(onet_dir, tmp_path_factory):
    """30.1 with the excerpt as its Task Ratings.txt; the other files are symlinks to the shared copy."""
    folder = tmp_path_factory.mktemp("onet") / "db_30_1_text"
    folder.mkdir()
    for path in (onet_dir / "db_30_1_text").iterdir():
        (folder / path.name).symlink_to(path)
    (folder / "Task Ratings.txt").symlink_to(onet_dir / "excerpts" / "db_30_1_task_ratings_head.txt")
    return folder


@pytest.fixture(scope="module")
def built(module_database, release_with_ratings, instance):
    load_onet(release_with_ratings, "30.1")
    return build(onet_dbt_models, "30.1", instance)


def expected_weights(folder) -> dict[int, float]:
    """The documented rule, computed from the files: rated occupations importance * relevance/100 * frequency,
    their unrated tasks the occupation's mean; other occupations core 2 / supplemental 1 / analyst-only 1."""
    tasks = read_rows(folder / "Task Statements.txt")
    figures = rating_figures(folder / "Task Ratings.txt")
    onetsoc = {int(t["Task ID"]): t["O*NET-SOC Code"] for t in tasks}
    rated_raw: dict[str, list[float]] = defaultdict(list)
    for task_id, (im, rt, ft) in figures.items():
        rated_raw[onetsoc[task_id]].append(im * rt / 100 * ft)
    raw = {}
    for t in tasks:
        task_id, code = int(t["Task ID"]), t["O*NET-SOC Code"]
        if code in rated_raw:
            im_rt_ft = figures.get(task_id)
            raw[task_id] = (
                im_rt_ft[0] * im_rt_ft[1] / 100 * im_rt_ft[2]
                if im_rt_ft
                else sum(rated_raw[code]) / len(rated_raw[code])
            )
        else:
            raw[task_id] = task_type_raw_weight(t["Task Type"])
    return spread_over_soc(raw, onetsoc)


def test_ratings_mart_holds_the_excerpt(built):
    assert mart_counts()[("occupation_task_ratings", "30.1")] == 864
    assert query(
        "SELECT scale_id, count(*), count(DISTINCT task_id) FROM marts.occupation_task_ratings "
        "GROUP BY 1 ORDER BY 1"
    ) == [("FT", 672, 96), ("IM", 96, 96), ("RT", 96, 96)]
    assert {
        r[0] for r in query("SELECT DISTINCT onetsoc_code FROM marts.occupation_task_ratings")
    } == RATED_CODES
    assert failed_checks(built) == []


def test_weights_of_rated_occupations_use_the_ratings_formula(built, release_with_ratings):
    expected = expected_weights(release_with_ratings)
    actual = dict(
        query("SELECT task_id, weight FROM marts.occupation_task_weight WHERE data_version = '30.1'")
    )
    assert actual.keys() == expected.keys()
    assert max(abs(actual[t] - expected[t]) for t in expected) < 1e-12

    methods = dict(
        query(
            "SELECT onetsoc_code, min(weight_method) FROM marts.occupation_task_weight "
            "WHERE data_version = '30.1' GROUP BY 1 HAVING count(DISTINCT weight_method) = 1"
        )
    )
    assert len(methods) == 923
    assert {code for code, method in methods.items() if method == "task_ratings"} == RATED_CODES
    # 11-2011.00: 9 analyst-only tasks; 11-2021.00: the excerpt stops after 9 of its 20 tasks.
    assert query(
        "SELECT onetsoc_code, count(*) FROM marts.occupation_task_weight "
        "WHERE data_version = '30.1' AND is_weight_imputed GROUP BY 1 ORDER BY 1"
    ) == [("11-2011.00", 9), ("11-2021.00", 11)]
    assert query(
        "SELECT weight_method, has_task_ratings, n_task_rating_rows, n_occupations_task_ratings, "
        "n_occupations_task_type, n_tasks_imputed FROM marts.weight_method_by_version"
    ) == [("mixed", True, 864, 5, 918, 20)]
    assert all(
        abs(total - 1) < 1e-9
        for _, total in query("SELECT soc_code, sum(weight) FROM marts.occupation_task_weight GROUP BY 1")
    )
    # Two rated O*NET-SOC codes share SOC 11-1011: half each.
    assert query(
        "SELECT onetsoc_code, round(sum(weight)::numeric, 12) FROM marts.occupation_task_weight "
        "WHERE soc_code = '11-1011' GROUP BY 1 ORDER BY 1"
    ) == [("11-1011.00", Decimal("0.500000000000")), ("11-1011.03", Decimal("0.500000000000"))]


def test_task_catalog_carries_ratings_and_ranks_by_importance_times_frequency(built, release_with_ratings):
    figures = rating_figures(release_with_ratings / "Task Ratings.txt")
    importance, relevance, frequency = query(
        "SELECT importance, relevance, frequency FROM marts.task_catalog WHERE task_id = 8823"
    )[0]
    assert (importance, relevance) == (Decimal("4.52"), Decimal("74.44"))
    assert abs(float(frequency) - figures[8823][2]) < 1e-12
    # FT 8823: (1*5.92 + 2*15.98 + 3*29.68 + 4*21.18 + 5*19.71 + 6*4.91 + 7*2.63) / 100.01
    assert abs(figures[8823][2] - 358.06 / 100.01) < 1e-12

    ranked = [r[0] for r in query("SELECT task_id FROM marts.task_catalog ORDER BY priority_rank LIMIT 96")]
    by_priority = sorted(figures, key=lambda t: (-figures[t][0] * figures[t][2], t))
    assert ranked == by_priority
    assert query("SELECT count(*) FROM marts.task_catalog WHERE importance IS NOT NULL") == [(96,)]


def test_release_reloaded_without_ratings_leaves_no_stale_rows(built, onet_dir, instance):
    """Runs last in this module: 30.1 reloaded from the copy without Task Ratings, then rebuilt."""
    load_onet(onet_dir / "db_30_1_text", "30.1")
    result = build(onet_dbt_models, "30.1", instance)
    assert failed_checks(result) == []
    counts = mart_counts()
    assert ("occupation_task_ratings", "30.1") not in counts
    assert counts[("occupation_task_weight", "30.1")] == 18796
    assert query("SELECT weight_method, n_task_rating_rows FROM marts.weight_method_by_version") == [
        ("task_type", 0)
    ]
    assert query("SELECT count(*) FROM marts.task_catalog WHERE importance IS NOT NULL") == [(0,)]
