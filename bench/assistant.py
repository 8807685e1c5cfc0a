"""The assistant's hot paths, from the real O*NET 30.1 files (no database needed):

1. The occupation coder: training time, and the latency of coding one résumé (split into jobs, then one
   batched prediction) against the baseline of coding one bare title, and against the résumé parser as it
   was before issue 23 (read from git history: PARSER_BEFORE_ISSUE_23, so no copy of it is kept).
2. Résumé generation: the offline draft (rules and templates) against its exports (.docx, .pdf).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
import types

from bench.common import machine, median, timed, write_section
from occurisk_assets.assistant.documents import resume_docx, text_pdf
from occurisk_assets.assistant.job_fields import coder_title_likeness
from occurisk_assets.assistant.parsing import split_jobs
from occurisk_assets.assistant.resume import draft_resume
from occurisk_assets.coder.corpus import build_corpus
from occurisk_assets.coder.model import OccupationCoder
from occurisk_assets.lib.settings import SHARED_DATA

ONET_30_1 = SHARED_DATA / "onet" / "db_30_1_text"
REPEAT = 200
PARSER_BEFORE_ISSUE_23 = "2004241:occurisk_assets/assistant/parsing.py"
RESUME = """EXPERIENCE
Customer Service Representative, Acme Telecom 2010 - 2024
- Answered customer calls about bills and service problems
- Resolved billing complaints and issued refunds
Truck driver at Road Freight (2002 to 2010)
- Drove tractor-trailer trucks on long-haul routes
Cashier, Corner Market 1998 - 2002
- Handled the till and the daily count
Warehouse worker, Big Box 1995 - 1998
- Loaded and unloaded trucks
Office clerk, City Hall 1990 - 1995
- Filed records and answered the phone
"""


def _rows(name: str, columns: list[str]) -> list[tuple]:
    with open(ONET_30_1 / name, newline="", encoding="utf-8") as fh:
        return [
            tuple(r[c] for c in columns) for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def _parser_before_issue_23() -> types.ModuleType:
    source = subprocess.run(
        ["git", "show", PARSER_BEFORE_ISSUE_23], check=True, capture_output=True, text=True
    ).stdout
    module = types.ModuleType("parsing_before_issue_23")
    sys.modules[module.__name__] = module  # its dataclass looks its module up
    exec(compile(source, PARSER_BEFORE_ISSUE_23, "exec"), module.__dict__)  # our own file, from git
    return module


def main() -> None:
    rows = {
        "occupation": _rows("Occupation Data.txt", ["O*NET-SOC Code", "Title", "Description"]),
        "task": _rows("Task Statements.txt", ["O*NET-SOC Code", "Task"]),
        "alternate_title": _rows("Alternate Titles.txt", ["O*NET-SOC Code", "Alternate Title"]),
        "reported_title": _rows("Sample of Reported Titles.txt", ["O*NET-SOC Code", "Reported Job Title"]),
    }
    corpus = build_corpus(rows, "30.1")
    started = time.perf_counter()
    coder = OccupationCoder.fit(corpus)
    train_s = time.perf_counter() - started
    started = time.perf_counter()
    metrics = coder.evaluate(corpus.held_out)
    eval_s = time.perf_counter() - started

    one_title = median(timed(lambda: coder.predict(["customer service rep"], 3), REPEAT))

    likeness = coder_title_likeness(coder)

    def code_resume():
        jobs = split_jobs(RESUME, likeness)
        return coder.predict([j.title for j in jobs], 3)

    before = _parser_before_issue_23()

    def code_resume_before():
        jobs = before.split_jobs(RESUME)
        return coder.predict([j.title for j in jobs], 3)

    assert len(split_jobs(RESUME, likeness)) == len(before.split_jobs(RESUME)) == 5
    resume_before = median(timed(code_resume_before, REPEAT))
    resume = median(timed(code_resume, REPEAT))

    tasks = {
        i: {"task_id": i, "task_statement": statement, "score": (i % 10) / 10}
        for i, (_, statement) in enumerate(rows["task"][:30])
    }
    jobs = [
        {
            "title": j.title,
            "employer": j.employer,
            "start_year": j.start_year,
            "end_year": j.end_year,
            "task_ids": list(range(k * 6, k * 6 + 6)),
            "duties": j.duties,
        }
        for k, j in enumerate(split_jobs(RESUME))
    ]
    skills = ["Active Listening", "Speaking", "Service Orientation"]

    def draft():
        return draft_resume(jobs, tasks, skills, age_neutral=False).text()

    built = draft_resume(jobs, tasks, skills, age_neutral=False)
    draft_s = median(timed(draft, REPEAT))
    docx_s = median(timed(lambda: resume_docx(built), 30))
    pdf_s = median(timed(lambda: text_pdf(built.text()), 30))

    write_section(
        "assistant",
        f"""## Assistant: occupation coder and résumé generation (bench/assistant.py)

{machine()}, load average {os.getloadavg()[0]:.1f} at the start (a shared machine inflates every time
alike; the ratios hold); O*NET 30.1 files; medians. The coder is trained here from the files exactly as the
`coder/occupation_coder` asset trains it from the raw tables.

| what | time |
|---|---|
| coder training ({len(corpus.train):,} texts, {len(coder.classes)} SOC codes) | {train_s:.1f} s |
| held-out evaluation ({metrics["n"]:,} titles: top-1 {metrics["top1"]:.3f}, top-3 {metrics["top3"]:.3f}) | {eval_s:.2f} s |
| baseline: code one title (top 3) | {one_title * 1000:.2f} ms |
| baseline: code one résumé with the parser before issue 23 (5 jobs: split + one batched prediction) | {resume_before * 1000:.2f} ms |
| code one résumé (5 jobs: split by layout, title vs employer by the coder's title likeness + one batched prediction) | {resume * 1000:.2f} ms |
| résumé draft, offline (5 jobs, 30 tasks; text) | {draft_s * 1000:.2f} ms |
| export .docx | {docx_s * 1000:.1f} ms |
| export .pdf | {pdf_s * 1000:.1f} ms |

A résumé costs {resume / one_title:.1f}× one title: the jobs are coded in one batch, so the fixed cost of a
prediction (vectorizers, one sparse product) is paid once. Reading the layout and deciding title against
employer by meaning makes a résumé {resume / resume_before:.1f}× the parser before issue 23 (the title likeness is one
more TF-IDF transform of the job lines and one sparse product with the occupation titles).""",
    )
    print(
        f"train {train_s:.1f}s, top1 {metrics['top1']:.3f}, resume {resume * 1000:.2f} ms, draft {draft_s * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
