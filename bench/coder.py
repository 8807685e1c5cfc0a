"""The occupation coder, v2 against v1 in the same run (bench/coder.py): both are fit on the real O*NET 30.1
release files and the project's Korean terms — v1 is v2's naive Bayes alone, as the current production coder
scores. Measured: held-out titles (top-1, top-3, ECE on the half calibration was not fit on, the unsure flag),
the 120 hand-coded job ads of tests/coder/fixtures/labelled_ads.jsonl (6-digit top-1/top-3 and SOC major group
at top-1), the Korean queries of tests/text/korean_queries.py, and the time to code a 5-job résumé."""

from __future__ import annotations

import copy
import csv
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, median, timed, write_section  # noqa: E402
from occurisk_assets.coder.corpus import Corpus, build_corpus, in_calibration_half, normalise  # noqa: E402
from occurisk_assets.coder.model import OccupationCoder, is_unsure  # noqa: E402
from occurisk_assets.postings.coding import posting_text  # noqa: E402
from occurisk_assets.text.korean_terms import read_terms  # noqa: E402
from tests.text.korean_queries import KOREAN_QUERIES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT.parent / "shared" / "data" / "onet" / "db_30_1_text"
ADS = ROOT / "tests" / "coder" / "fixtures" / "labelled_ads.jsonl"
RESUME_TITLES = ["Staff Nurse", "Machinist", "Customer service rep", "Bookkeeper", "요양보호사"]
REPEAT = 30


def _read(name: str, columns: list[str]) -> list[tuple[str, ...]]:
    with (RELEASE / name).open(encoding="utf-8", newline="") as f:
        return [tuple(row[c] for c in columns) for row in csv.DictReader(f, delimiter="\t")]


def release_corpus() -> Corpus:
    """The corpus read_corpus gives for 30.1 after the pipeline, read from the release files."""
    code = "O*NET-SOC Code"
    return build_corpus(
        {
            "occupation": _read("Occupation Data.txt", [code, "Title", "Description"]),
            "task": _read("Task Statements.txt", [code, "Task"]),
            "alternate_title": _read("Alternate Titles.txt", [code, "Alternate Title"]),
            "reported_title": _read("Sample of Reported Titles.txt", [code, "Reported Job Title"]),
            "korean_term": [(t.onetsoc_code, t.term) for t in read_terms()],
        },
        "30.1",
    )


def naive_bayes_only(coder: OccupationCoder) -> OccupationCoder:
    v1 = copy.copy(coder)
    v1.exemplars, v1.exemplar_starts, v1.nb_scale, v1.embedding_scale, v1.confidence_map = (
        None,
        None,
        1,
        0,
        None,
    )
    return v1


def on_ads(coder: OccupationCoder, ads: list[dict]) -> dict:
    predictions = coder.predict([posting_text(a["title"], a["description"]) for a in ads], k=3)
    codes = [[p.soc_code for p in preds] for preds in predictions]
    return {
        "top1": sum(c[0] == a["soc"] for a, c in zip(ads, codes, strict=True)) / len(ads),
        "top3": sum(a["soc"] in c for a, c in zip(ads, codes, strict=True)) / len(ads),
        "major_top1": sum(c[0][:2] == a["soc"][:2] for a, c in zip(ads, codes, strict=True)) / len(ads),
        "unsure": sum(map(is_unsure, predictions)) / len(ads),
    }


def on_korean(coder: OccupationCoder) -> float:
    predictions = coder.predict([q for q, _ in KOREAN_QUERIES], k=3)
    return sum(
        bool(expected & {p.soc_code for p in preds})
        for (_, expected), preds in zip(KOREAN_QUERIES, predictions, strict=True)
    ) / len(KOREAN_QUERIES)


def resume_ms(v1: OccupationCoder, v2: OccupationCoder) -> dict[str, float]:
    """Median ms to code the résumé's titles, v1 and v2 taking turns: a shared machine's load changes
    within seconds, and turns give both the same."""
    v2.predict(RESUME_TITLES, 3)  # the encoder loaded
    times = {"v1": [], "v2": []}
    for _ in range(REPEAT):
        for name, coder in (("v1", v1), ("v2", v2)):
            times[name] += timed(lambda c=coder: c.predict(RESUME_TITLES, 3), 1)
    return {name: median(t) * 1000 for name, t in times.items()}


def ceilings(corpus: Corpus) -> tuple[float, float]:
    """The best top-1 and top-3 any coder can reach on the held-out titles: a text listed under several codes
    counts once per listing, and one guess matches the listings of one code (three guesses of three)."""
    listings: dict[str, Counter] = {}
    for e in corpus.held_out:
        listings.setdefault(normalise(e.text), Counter())[e.soc_code] += 1
    best = [[n for _, n in codes.most_common(3)] for codes in listings.values()]
    return sum(b[0] for b in best) / len(corpus.held_out), sum(map(sum, best)) / len(corpus.held_out)


def main() -> dict:
    corpus = release_corpus()
    started = time.perf_counter()
    v2 = OccupationCoder.fit(corpus)
    v2.vector_cache = {}
    v2.calibrate([e for e in corpus.held_out if in_calibration_half(e.text)])
    train_s = time.perf_counter() - started
    v1 = naive_bayes_only(v2)
    held = {"v1": v1.evaluate(corpus.held_out), "v2": v2.evaluate(corpus.held_out)}
    v2.vector_cache = None
    ads = [json.loads(line) for line in ADS.read_text(encoding="utf-8").splitlines()]
    english = [a for a in ads if a["title"].isascii()]
    korean = [a for a in ads if not a["title"].isascii()]
    results = {
        name: {
            "held": held[name],
            "ads": on_ads(coder, ads),
            "ads_en": on_ads(coder, english),
            "ads_ko": on_ads(coder, korean),
            "korean_queries_top3": on_korean(coder),
        }
        for name, coder in (("v1", v1), ("v2", v2))
    }
    for name, ms in resume_ms(v1, v2).items():
        results[name]["resume_ms"] = ms
    results["load"] = os.getloadavg()[0]
    for name, r in results.items():
        if name == "load":
            continue
        print(f"coder {name}: {json.dumps({k: v for k, v in r.items() if k != 'held'})} held-out "
              f"{ {k: v for k, v in r['held'].items() if k != 'reliability'} }")  # fmt: skip
    write_section("coder", report(results, train_s, len(ads), len(english), len(korean), ceilings(corpus)))
    return results


def report(
    results: dict, train_s: float, n_ads: int, n_en: int, n_ko: int, ceiling: tuple[float, float]
) -> str:
    def row(label: str, value) -> str:
        return f"| {label} | {value(results['v1'])} | {value(results['v2'])} |"

    rows = [
        row("held-out titles: top-1", lambda r: f"{r['held']['top1']:.3f}"),
        row("held-out titles: top-3", lambda r: f"{r['held']['top3']:.3f}"),
        row(f"{results['v2']['held']['distinct_titles']} distinct held-out titles: top-1 / top-3, any code",
            lambda r: f"{r['held']['top1_any_listed']:.3f} / {r['held']['top3_any_listed']:.3f}"),
        row("held-out titles: ECE (calibration half excluded)", lambda r: f"{r['held']['ece']:.3f}"),
        row("held-out titles: flagged unsure", lambda r: f"{r['held']['unsure_share']:.1%}"),
        row("held-out titles: top-1 when sure / unsure",
            lambda r: f"{r['held']['top1_when_sure']:.3f} / {r['held']['top1_when_unsure']:.3f}"),
        row(f"{n_ads} labelled ads: major group at top-1", lambda r: f"{r['ads']['major_top1']:.1%}"),
        row(f"{n_en} English ads: major group at top-1", lambda r: f"{r['ads_en']['major_top1']:.1%}"),
        row(f"{n_ko} Korean ads: major group at top-1", lambda r: f"{r['ads_ko']['major_top1']:.1%}"),
        row(f"{n_ads} labelled ads: 6-digit top-1 / top-3",
            lambda r: f"{r['ads']['top1']:.3f} / {r['ads']['top3']:.3f}"),
        row(f"{len(KOREAN_QUERIES)} Korean queries: top-3", lambda r: f"{r['korean_queries_top3']:.3f}"),
        row("coding a 5-job résumé (median ms)", lambda r: f"{r['resume_ms']:.1f}"),
    ]  # fmt: skip
    ratio = results["v2"]["resume_ms"] / results["v1"]["resume_ms"]
    reliability = "\n".join(
        f"| {b['bin']} | {b['n']} | {b['confidence']:.3f} | {b['accuracy']:.3f} |"
        for b in results["v2"]["held"]["reliability"]
    )
    return f"""
## Occupation coder v2 (bench/coder.py)

Both coders fit in the same run on the O*NET 30.1 release files and the project's Korean terms ({train_s:.0f} s
for v2, embeddings of the exemplars and the calibration included); v1 is v2's naive Bayes alone (the coder
before issue 23). Held-out: {results["v2"]["held"]["n"]} alternate and reported titles never trained on; ECE and
the unsure split on the {results["v2"]["held"]["ece_n"]} of them the calibration was not fit on. Ads: the
hand-coded ads of tests/coder/fixtures/labelled_ads.jsonl (rule in docs/methodology.md, "Occupation coder"). Measured
{time.strftime("%Y-%m-%d")} on {machine()}, a shared machine.

| measure | v1 (naive Bayes) | v2 (blend, calibrated) |
|---|---|---|
{chr(10).join(rows)}

Coding a 5-job résumé ({", ".join(RESUME_TITLES)}; {REPEAT} runs each, v1 and v2 taking turns, encoder
loaded; 1-minute load average {results["load"]:.1f} then): v2 takes {ratio:.1f}× v1's time —
{"within" if ratio <= 3 else "OVER"} the budget of 3×. Targets of issue 23: top-1 ≥ 0.60, top-3 ≥ 0.80, ECE ≤ 0.05, major group ≥ 90% on real ads. No
coder can pass {ceiling[0]:.3f} top-1 or {ceiling[1]:.3f} top-3 on these held-out titles: a text O*NET lists under
several codes counts once per listing, and one guess matches one code.

Reliability of v2's top-1 confidence (held-out titles outside the calibration half):

| confidence | titles | mean confidence | accuracy |
|---|---|---|---|
{reliability}
"""


if __name__ == "__main__":
    main()
