"""AEI task texts → O*NET task ids, on the real files: exact, normalised, older wordings, similarity; the
threshold measured on the labelled sample."""

import csv
from collections import Counter
from pathlib import Path

import pytest

from occurisk_assets.aei.files import find_releases, read_file
from occurisk_assets.aei.matching import SIMILARITY_THRESHOLD, Match, OnetTask, match_texts, normalise
from tests.aei.conftest import ONET_DATA

LABELS = Path(__file__).parents[2] / "occurisk_assets" / "aei" / "match_labels.csv"
METHODS = ["exact", "normalised", "older_wording", "similar", "none"]


def onet_tasks(folder: str) -> list[OnetTask]:
    with open(ONET_DATA / folder / "Task Statements.txt", encoding="utf-8", newline="") as f:
        return [
            OnetTask(r["O*NET-SOC Code"], int(r["Task ID"]), r["Task"])
            for r in csv.DictReader(f, delimiter="\t")
        ]


@pytest.fixture(scope="module")
def onet_30_1() -> list[OnetTask]:
    return onet_tasks("db_30_1_text")


@pytest.fixture(scope="module")
def onet_older() -> list[OnetTask]:
    return onet_tasks("db_30_0_text") + onet_tasks("db_29_1_text")


def best_methods(matches: list[Match]) -> dict[str, Match]:
    best: dict[str, Match] = {}
    for m in matches:
        if m.task_text not in best or METHODS.index(m.method) < METHODS.index(best[m.task_text].method):
            best[m.task_text] = m
    return best


def rows_by_method(
    aei_data, release: str, file_name: str, onet_30_1, onet_older
) -> tuple[Counter, list, dict]:
    rows = read_file(find_releases(aei_data)[release].folder / file_name).rows
    matches = match_texts({r["task_text"] for r in rows}, onet_30_1, onet_older)
    best = best_methods(matches)
    return Counter(best[r["task_text"]].method for r in rows), rows, best


def test_task_penetration_matched_to_30_1(aei_data, onet_30_1, onet_older):
    counts, rows, best = rows_by_method(
        aei_data, "labor_market_impacts", "task_penetration.csv", onet_30_1, onet_older
    )
    assert len(rows) == 17998
    # 4 texts are the 29.1/30.0 wording of a task 30.1 still has; 509 are listed as unmatched.
    assert counts == {"exact": 17439, "normalised": 1, "older_wording": 4, "similar": 45, "none": 509}


def test_lower_cased_release_matched_to_30_1(aei_data, onet_30_1, onet_older):
    counts, rows, best = rows_by_method(aei_data, "2025_03_27", "task_pct_v2.csv", onet_30_1, onet_older)
    assert len(rows) == 3365
    assert counts == {"exact": 2800, "normalised": 182, "similar": 160, "none": 223}


def test_normalising_ignores_case_punctuation_and_spaces():
    assert normalise("Develop  marketing materials, proposals;\tor presentations.") == normalise(
        "develop marketing materials proposals or presentations"
    )


def test_threshold_on_the_labelled_sample(aei_data, onet_30_1):
    """Each labelled (AEI line, O*NET task) pair: same task or not; the threshold keeps precision ≥ 95%."""
    releases = find_releases(aei_data)
    with LABELS.open(newline="") as f:
        labels = list(csv.DictReader(f))
    texts = {}
    for label in labels:
        rows = read_file(releases[label["aei_release"]].folder / label["file_name"]).rows
        texts[(label["file_name"], label["line_no"])] = next(
            r["task_text"] for r in rows if r["line_no"] == int(label["line_no"])
        )
    best = best_methods(match_texts(set(texts.values()), onet_30_1, [], threshold=0.0))
    outcome = Counter()
    for label in labels:
        match = best[texts[(label["file_name"], label["line_no"])]]
        assert match.method == "similar" and match.task_id == int(label["task_id"])  # the pair labelled
        predicted = match.similarity >= SIMILARITY_THRESHOLD
        outcome[(predicted, label["same_task"] == "1")] += 1
    true_positive, false_positive = outcome[(True, True)], outcome[(True, False)]
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + outcome[(False, True)])
    assert len(labels) == 48 and (true_positive, false_positive, outcome[(False, True)]) == (29, 1, 6)
    assert precision >= 0.95 and round(recall, 3) == 0.829
