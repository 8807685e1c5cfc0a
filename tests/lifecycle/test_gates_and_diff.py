"""Activation gates and the diff report on raw loads only (no marts yet): what is missing is named, a
corrupt partition is caught, a reworded task is found."""

from __future__ import annotations

import shutil

import pytest

from occurisk_assets.lib import db
from occurisk_assets.lib.statistics import score_shift
from occurisk_assets.lifecycle.activation import PERSON, PIPELINE, UnknownVersion, active_version, decide
from occurisk_assets.lifecycle.diff import compute_diff, to_markdown
from occurisk_assets.onet.loader import load_release
from occurisk_assets.onet.sources import Release, resolve_release
from occurisk_assets.versions import mark_complete
from tests.conftest import ONET_DATA
from tests.lifecycle.conftest import drop_release


def test_gates_name_what_is_missing_and_force_overrides(fresh_database):
    load_release(resolve_release("30.1"))
    with db.connect() as conn:
        with pytest.raises(UnknownVersion, match="O\\*NET 31.0 is not loaded"):
            decide(conn, "31.0", min_coverage=0.8, trigger=PIPELINE)
        # Loaded but not built: never activated, forced or not.
        with pytest.raises(UnknownVersion, match=r"30.1 is not completely built \(build status: building\)"):
            decide(conn, "30.1", min_coverage=0.8, trigger=PERSON, force=True)
        mark_complete(conn, "30.1")  # as if its build had finished without the marts, to see the gates
        decision = decide(conn, "30.1", min_coverage=0.8, trigger=PIPELINE)
        assert (decision.outcome, decision.active_after) == ("blocked", None)
        assert [(g.name, g.passed, g.detail) for g in decision.gates] == [
            ("raw_rows_match_manifest", True, "36 tables match the manifest"),
            (
                "task_weights_sum_to_one",
                False,
                "marts.occupation_task_weight does not exist: the dbt task models have not run",
            ),
            (
                "scoring_coverage",
                False,
                "marts.occupation_task_weight does not exist: scoring and its dbt models have not run",
            ),
        ]
        assert active_version(conn) is None

        # A partition that lost a row since it was loaded no longer matches its manifest.
        conn.execute("DELETE FROM onet_raw.task_statements WHERE data_version = '30.1' AND task_id = 22689")
        [rows_gate, *_] = decide(conn, "30.1", min_coverage=0.8, trigger=PERSON).gates
        assert (rows_gate.passed, rows_gate.detail) == (
            False,
            "1 of 36 tables differ from the manifest: onet_raw.task_statements 18795 rows, manifest 18796",
        )

        forced = decide(conn, "30.1", min_coverage=0.8, trigger=PERSON, force=True)
        assert (forced.outcome, forced.forced, active_version(conn)) == ("activated", True, "30.1")
        log = conn.execute(
            "SELECT outcome, forced, trigger FROM core.activation_log ORDER BY decision_id"
        ).fetchall()
    assert log == [("blocked", False, "pipeline"), ("blocked", False, "cli"), ("activated", True, "cli")]


def test_a_reworded_task_and_a_retitled_occupation_are_found(fresh_database, tmp_path):
    folder = drop_release(tmp_path, "30.1")
    for name in ("Task Statements.txt", "Occupation Data.txt"):
        (folder / name).unlink()
        shutil.copy(ONET_DATA / "db_30_1_text" / name, folder / name)
    statements = folder / "Task Statements.txt"
    statements.write_bytes(
        statements.read_bytes().replace(
            b"\tResolve customer complaints regarding sales and service.\t",
            b"\tResolve customer complaints about sales, service and returns.\t",
            1,
        )
    )
    occupations = folder / "Occupation Data.txt"
    occupations.write_bytes(
        occupations.read_bytes().replace(
            b"11-1011.00\tChief Executives\t", b"11-1011.00\tChief Executive Officers\t", 1
        )
    )
    load_release(resolve_release("30.1"))
    load_release(Release(folder, "30.2", str(folder), None))
    with db.connect() as conn:
        diff = compute_diff(conn, "30.2", "30.1")
    assert [(t.task_id, t.onetsoc_code, t.before, t.after) for t in diff.tasks_reworded] == [
        (
            1,
            "11-2022.00",
            "Resolve customer complaints regarding sales and service.",
            "Resolve customer complaints about sales, service and returns.",
        )
    ]
    assert [(o.onetsoc_code, o.before, o.after) for o in diff.occupations_retitled] == [
        ("11-1011.00", "Chief Executives", "Chief Executive Officers")
    ]
    assert (diff.tasks_added, diff.tasks_removed, diff.tasks_redated) == ([], [], [])
    assert all(r.change == 0 for r in diff.row_counts if r.before is not None)
    assert diff.task_scores is None and diff.provider_calls == []
    assert diff.notes == [
        "marts.task_ai_ensemble does not exist: no score distribution change",
        "marts.occupation_ai_score does not exist: no score distribution change",
    ]
    markdown = to_markdown(diff)
    assert "**0 added, 0 removed, 1 reworded, 0 re-dated**" in markdown
    assert "- 11-1011.00: Chief Executive Officers (was: Chief Executives)" in markdown


def test_score_shift_of_known_samples():
    same = score_shift([0.0, 0.5, 1.0], [0.0, 0.5, 1.0])
    assert (same.ks_statistic, same.ks_pvalue, same.js_divergence) == (0.0, 1.0, 0.0)
    apart = score_shift([0.0, 0.05], [0.95, 1.0])
    assert apart.ks_statistic == 1.0 and apart.js_divergence == pytest.approx(1.0)
    assert apart.bins_before == [2, 0, 0, 0, 0, 0, 0, 0, 0, 0] and apart.bins_after == [0] * 9 + [2]
