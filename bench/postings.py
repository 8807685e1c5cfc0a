"""Job postings: crawl throughput against the local test board at a politeness delay (baseline: the same
crawl with no delay, what politeness costs), and postings coded per second on the built 30.1 platform with
the production occupation coder (baseline in the same run: the coder's predict alone, what exposure look-up,
duty matching and storing add), plus cleaning throughput."""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import api as api_bench  # noqa: E402
from bench.common import machine, temporary_server, write_section  # noqa: E402
from occurisk_assets.lib import db  # noqa: E402
from occurisk_assets.lib.settings import get_settings  # noqa: E402
from occurisk_assets.postings.cleaning import clean_postings  # noqa: E402
from occurisk_assets.postings.coding import code_postings, load_coder, posting_text  # noqa: E402
from occurisk_assets.postings.crawler import crawl  # noqa: E402
from occurisk_assets.postings.fetching import FetchOptions  # noqa: E402
from occurisk_assets.postings.importing import import_file  # noqa: E402
from tests.postings.board import POSTINGS, Board, job_posting  # noqa: E402

DATA_VERSION = "30.1"
HELD_OUT = (
    Path(__file__).resolve().parent.parent / "tests" / "postings" / "fixtures" / "heldout_postings.jsonl"
)
DELAY_S = 0.2
N_CODED = 2000


def crawl_rate(delay: float) -> tuple[float, int, int]:
    """Pages per second, pages fetched, requests made for one crawl of a fresh board."""
    options = FetchOptions(
        user_agent="occurisk-bench/1.0", delay_s=delay, timeout_s=0.5, backoff_s=0.05, max_bytes=200_000
    )
    with Board(crawl_delay=0) as board, db.connect(autocommit=True) as conn:
        started = time.perf_counter()
        report = crawl(conn, f"{board.base}/jobs", options, max_pages=100)
        seconds = time.perf_counter() - started
    return report.pages_fetched / seconds, report.pages_fetched, report.requests


def synthetic_postings(path: Path, n: int) -> None:
    """n distinct postings (not near duplicates of each other): a held-out ad's title and text, plus three
    duties drawn from the board's ads, under a numbered employer."""
    held_out = [json.loads(line) for line in HELD_OUT.read_text().splitlines()]
    duties = [d for p in POSTINGS for d in p["duties"]]
    with path.open("w") as fh:
        for i in range(n):
            rng = random.Random(i)
            ad = held_out[i % len(held_out)]
            p = dict(POSTINGS[0], slug=f"bench-{i}", org=f"Employer {i}", title=ad["title"])
            p["intro"], p["duties"] = ad["description"], rng.sample(duties, 3)
            fh.write(json.dumps(job_posting(p, "https://bench.example.org")) + "\n")


def main(with_coding: bool = True) -> dict:
    with temporary_server():  # migrated: the postings tables exist
        fast, pages, requests = crawl_rate(0.0)
        polite, _, _ = crawl_rate(DELAY_S)
        path = Path(get_settings().home) / "bench_postings.jsonl"
        synthetic_postings(path, N_CODED)
        with db.connect(autocommit=True) as conn:
            import_file(conn, path)
            started = time.perf_counter()
            cleaned = clean_postings(conn)
            clean_s = time.perf_counter() - started
        coding_row, problem = "", None if with_coding else "skipped (--no-coding)"
        try:
            if with_coding:
                api_bench.build_database()  # the 30.1 platform with its trained coder
        except RuntimeError as exc:
            problem = str(exc)
        if problem is None:
            with db.connect(autocommit=True) as conn:
                coder = load_coder(DATA_VERSION)
                rows = conn.execute(
                    "SELECT title, description FROM postings.posting WHERE status = 'accepted'"
                ).fetchall()
                started = time.perf_counter()
                for start in range(0, len(rows), 256):
                    coder.predict([posting_text(t, d) for t, d in rows[start : start + 256]], k=3)
                predict_s = time.perf_counter() - started
                started = time.perf_counter()
                n_coded = sum(code_postings(conn, coder).values())
                code_s = time.perf_counter() - started
            coding_row = (
                f"| coding ({n_coded:,} postings: top-3 SOC, exposure, duties → nearest of ~19k O*NET tasks, "
                f"stored) | {n_coded / code_s:,.0f} postings/s | the coder's `predict` alone: "
                f"{len(rows) / predict_s:,.0f} postings/s |\n"
            )
    coding_note = f"\nCoding not measured in this run: {problem}.\n" if problem else ""
    write_section(
        "postings",
        f"""## Job postings (bench/postings.py)

Machine: {machine()}. A throwaway server; the local test board of `tests/postings/board.py` ({pages} URLs per
crawl, {requests} requests incl. robots.txt, retries and redirects); for coding, the built 30.1 platform.

| path | throughput | baseline in the same run |
|---|---:|---|
| crawl, `--delay {DELAY_S}` (per host, after each response) | {polite:.2f} pages/s | no delay: {fast:.2f} pages/s; the bound 1/delay = {1 / DELAY_S:.1f}/s |
| cleaning ({N_CODED:,} postings: HTML → text, validation, exact + MinHash dedupe, language) | {N_CODED / clean_s:,.0f} postings/s | — |
{coding_row}
Cleaning counts: {dict(cleaned)}.
{coding_note}""",
    )
    return {
        "crawl_no_delay": fast,
        "crawl_polite": polite,
        "cleaned_per_s": N_CODED / clean_s,
        "coding": problem or "measured",
    }


if __name__ == "__main__":
    print(main(with_coding="--no-coding" not in sys.argv))
