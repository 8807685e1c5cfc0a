"""The offline path end to end on the real 30.1 catalog: the published raters as models, no key, no network."""

from __future__ import annotations

import csv
from collections import Counter

from occurisk_assets.lib.settings import get_settings
from occurisk_assets.scoring.published import EXPOSURE_SCORES, normalise_text
from occurisk_assets.scoring.runs import ScoringEnvironment, ScoringRequest, run_scoring

from .conftest import ONET_30_1

N_TASKS_30_1 = 18_796
# (O*NET-SOC, Task ID) pairs of 30.1 present in the 27.2-based labelset; the other 57 have no rating
# (no text match inside their O*NET-SOC code either).
N_RATED_30_1 = 18_739
N_UNRATED_30_1 = 57


def _independent_join_count() -> tuple[int, set[int]]:
    """The same join computed straight from the two files, as a cross-check of the constants."""
    labels_path = get_settings().exposure_data_dir / "full_labelset.tsv"
    with open(labels_path, newline="") as fh:
        labels = list(csv.DictReader(fh, delimiter="\t"))
    ids = {(r["O*NET-SOC Code"], int(float(r["Task ID"]))) for r in labels}
    texts = {(r["O*NET-SOC Code"], normalise_text(r["Task"])) for r in labels}
    with open(ONET_30_1 / "Task Statements.txt", newline="") as fh:
        tasks = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    unrated = {
        int(t["Task ID"])
        for t in tasks
        if (t["O*NET-SOC Code"], int(t["Task ID"])) not in ids
        and (t["O*NET-SOC Code"], normalise_text(t["Task"])) not in texts
    }
    return len(tasks) - len(unrated), unrated


def test_offline_default_scores_the_whole_30_1_catalog(conn):
    summaries = run_scoring(conn, ScoringRequest("30.1"), ScoringEnvironment(track=False))

    assert [s.model for s in summaries] == ["published:gpt4_exposure", "published:human_exposure"]
    rated, unrated_ids = _independent_join_count()
    assert (rated, len(unrated_ids)) == (N_RATED_30_1, N_UNRATED_30_1)
    for s in summaries:
        assert (s.status, s.n_tasks, s.n_scored, s.n_unscored) == (
            "completed",
            N_TASKS_30_1,
            N_RATED_30_1,
            N_UNRATED_30_1,
        )
        assert (s.n_calls, s.n_cache_hits, s.n_failures, s.cost_estimate) == (0, 0, 0, 0.0)
        params, mode, prompt_version = conn.execute(
            "SELECT params, mode, prompt_version FROM core.model_run WHERE run_id = %s", [s.run_id]
        ).fetchone()
        assert (mode, prompt_version) == ("published", "eloundou2023-map-v1")
        assert params["unscored"]["count"] == N_UNRATED_30_1
        assert set(params["unscored"]["task_ids"]) == unrated_ids
        assert params["unscored_reasons"] == {"no_published_rating": N_UNRATED_30_1}
        assert params["match_methods"] == {"id": N_RATED_30_1, "text": 0}

    # Scores are the documented mapping of the labels: count each 0/0.5/1 value against the file.
    with open(get_settings().exposure_data_dir / "full_labelset.tsv", newline="") as fh:
        labels = {
            (r["O*NET-SOC Code"], int(float(r["Task ID"]))): r for r in csv.DictReader(fh, delimiter="\t")
        }
    catalog = conn.execute(
        "SELECT task_id, onetsoc_code FROM marts.task_catalog WHERE data_version = '30.1'"
    ).fetchall()
    expected = Counter(
        EXPOSURE_SCORES[labels[(code, tid)]["gpt4_exposure"]]
        for tid, code in catalog
        if (code, tid) in labels
    )
    stored = Counter(
        float(score)
        for (score,) in conn.execute(
            "SELECT score FROM core.task_ai_score WHERE run_id = %s", [summaries[0].run_id]
        )
    )
    assert stored == expected
    row = conn.execute(
        "SELECT score, origin, call_key, raw_json_ref FROM core.task_ai_score WHERE run_id = %s AND task_id = 8823",
        [summaries[0].run_id],
    ).fetchone()
    assert (float(row[0]), row[1], row[2]) == (0.5, "published", None)  # 11-1011.00 task 8823: gpt4 E2
    assert row[3] == "gpts-are-gpts:full_labelset.tsv#L2:gpt4_exposure=E2:match=id"


def test_rerunning_the_offline_scoring_reuses_the_runs(conn):
    first = run_scoring(conn, ScoringRequest("30.1"), ScoringEnvironment(track=False))
    second = run_scoring(conn, ScoringRequest("30.1"), ScoringEnvironment(track=False))

    assert [s.run_id for s in second] == [s.run_id for s in first]
    assert all(s.reused for s in second)
    assert conn.execute("SELECT count(*) FROM core.model_run").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM core.task_ai_score").fetchone()[0] == 2 * N_RATED_30_1


def test_the_automation_rater_and_top_n(conn):
    (summary,) = run_scoring(
        conn,
        ScoringRequest("30.1", models=["published:gpt4_automation"], top_n=100),
        ScoringEnvironment(track=False),
    )

    assert (summary.n_tasks, summary.n_scored + summary.n_unscored) == (100, 100)
    values = {float(v) for (v,) in conn.execute("SELECT DISTINCT score FROM core.task_ai_score")}
    assert values <= {0.0, 0.25, 0.5, 0.75, 1.0}
    ranks = conn.execute(
        "SELECT max(c.priority_rank) FROM core.task_ai_score s JOIN marts.task_catalog c USING (data_version, task_id)"
    ).fetchone()[0]
    assert ranks <= 100
