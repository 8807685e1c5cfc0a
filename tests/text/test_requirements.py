"""The requirement matcher: an ad cut into single demands, each judged shown / partly shown / not shown by
a person's lines with the line quoted, literal terms (language, licence, product) required, the thresholds'
precision and recall on the labelled pairs, and a person's duties proposing an occupation's tasks."""

from __future__ import annotations

import csv
from pathlib import Path

from occurisk_assets.defs.assistant.letter import checklist
from occurisk_assets.defs.assistant.resume import JobSection, ResumeDraft
from occurisk_assets.text.requirements import (
    NOT_SHOWN,
    PARTLY_SHOWN,
    SHOWN,
    clauses,
    judge,
    literal_terms,
    propose_tasks,
    split_demands,
)

PAIRS = Path(__file__).resolve().parents[1] / "fixtures" / "text" / "requirement_pairs.tsv"

AD = """Member Services Representative, Lakeside Health Plan
We are growing our member services team.
- Answer member questions by phone
- Resolve billing issues
- Bilingual in Spanish
You will answer questions by phone and chat, resolve billing issues and keep records.
"""


def _draft(*bullets: str) -> ResumeDraft:
    job = JobSection(title="Customer Service Representative", employer="Acme Mutual", dates="1999–2024",
                     bullets=list(bullets))  # fmt: skip
    return ResumeDraft(summary="", jobs=[job], skills=["Active Listening"], age_neutral=False)


def test_the_checklist_reads_paraphrases_and_quotes_the_clause_that_shows_each_demand():
    items = {
        i.requirement: i
        for i in checklist(AD, _draft("Answered policyholder calls and fixed billing mistakes"))
    }
    assert items["Resolve billing issues"].status == SHOWN
    assert items["Resolve billing issues"].evidence == "fixed billing mistakes"
    assert items["Answer member questions by phone"].status == SHOWN
    assert items["Answer member questions by phone"].evidence == "Answered policyholder calls"
    assert (
        items["Bilingual in Spanish"].status == NOT_SHOWN and items["Bilingual in Spanish"].evidence is None
    )
    assert "Member Services Representative, Lakeside Health Plan" not in items  # a heading is no demand


def test_a_line_is_cut_into_single_demands_at_a_new_verb_only():
    assert clauses("answer questions by phone and chat, resolve billing issues and keep records") == [
        "answer questions by phone and chat",
        "resolve billing issues",
        "keep records",
    ]
    assert clauses("Experience with Excel, Word and Outlook") == ["Experience with Excel, Word and Outlook"]
    assert clauses("Plan, direct, or coordinate activities of workers.") == [
        "Plan, direct, or coordinate activities of workers"
    ]
    assert split_demands(AD) == [
        "Answer member questions by phone",
        "Resolve billing issues",
        "Bilingual in Spanish",
        "You will answer questions by phone and chat",
        "keep records",
    ]


def test_a_language_licence_or_product_must_be_named_by_the_line():
    assert literal_terms("Bilingual in Spanish") == ["Spanish"]
    assert literal_terms("Valid CDL Class A license") == ["CDL"]
    assert literal_terms("Experience with QuickBooks and Excel") == ["QuickBooks", "Excel"]
    assert literal_terms("Answer member questions by phone") == []
    lines = ["Spoke English and French with customers", "Drove forklifts to load trucks", "Kept the books"]
    spanish, forklift, quickbooks, english = judge(
        ["Bilingual in Spanish", "Forklift certification", "Experience with QuickBooks", "영어 가능자 우대"],
        lines,
    )
    assert spanish.status == forklift.status == quickbooks.status == NOT_SHOWN
    assert english.status != NOT_SHOWN and english.evidence == lines[0]  # 영어 is English


def _labelled() -> list[tuple[str, str, str]]:
    rows = csv.reader(
        (line for line in PAIRS.open(encoding="utf-8") if not line.startswith("#")), delimiter="\t"
    )
    next(rows)
    return [(r, e, label) for r, e, label in rows]


def test_precision_and_recall_on_the_labelled_pairs():
    """Measured (docs/methodology.md): 83 pairs; shown: precision 0.94, recall 0.79; shown or partly shown:
    precision 0.98, recall 0.89; the three-way label right for 0.81."""
    pairs = _labelled()
    assert len(pairs) >= 60 and {label for *_, label in pairs} == {SHOWN, PARTLY_SHOWN, NOT_SHOWN}
    predicted = [judge([requirement], [evidence])[0].status for requirement, evidence, _ in pairs]
    labels = [label for *_, label in pairs]

    def precision_recall(positive: set[str]) -> tuple[float, float]:
        hits = sum(p in positive and t in positive for p, t in zip(predicted, labels, strict=True))
        return hits / sum(p in positive for p in predicted), hits / sum(t in positive for t in labels)

    shown_precision, shown_recall = precision_recall({SHOWN})
    any_precision, any_recall = precision_recall({SHOWN, PARTLY_SHOWN})
    assert shown_precision >= 0.9 and shown_recall >= 0.75
    assert any_precision >= 0.95 and any_recall >= 0.85
    assert sum(p == t for p, t in zip(predicted, labels, strict=True)) / len(pairs) >= 0.78


def test_a_persons_duties_propose_the_tasks_they_show():
    tasks = [
        "Drive tractor-trailer combinations to transport goods.",
        "Resolve customers' service or billing complaints by exchanging merchandise, refunding money, or "
        "adjusting bills.",
        "Confer with customers by telephone or in person to provide information about products or services.",
    ]
    proposed = propose_tasks(
        ["Resolved billing complaints and issued refunds", "Answered customer calls"], tasks, 8
    )
    assert [i for i, _ in proposed] == [1, 2]
    assert all(0 < score <= 1.3 for _, score in proposed)
    assert propose_tasks([], tasks, 8) == []
