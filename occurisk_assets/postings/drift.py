"""The posting mix between two days: how the exposure of the day's coded postings and their spread over
SOC major groups moved. Exposure uses the version-diff score-shift code (KS test + Jensen-Shannon divergence
of the 0–1 histograms, lib/statistics.py, as the version diff does); the major-group mix its JS divergence."""

from __future__ import annotations

import datetime as dt

import numpy as np
import psycopg
from psycopg.types.json import Jsonb
from pydantic import BaseModel
from scipy.spatial.distance import jensenshannon

from occurisk_assets.lib.statistics import ScoreShift, score_shift

GROUPS_SQL = """
SELECT left(soc_code, 2) AS major_group, count(*) FROM postings.posting
WHERE status = 'accepted' AND coding_status = 'coded' AND collected_on = %s GROUP BY 1
"""
SCORES_SQL = """
SELECT ai_score FROM postings.posting
WHERE status = 'accepted' AND coding_status = 'coded' AND ai_score IS NOT NULL AND collected_on = %s
"""


class MixDrift(BaseModel):
    day: dt.date
    baseline_day: dt.date | None
    n_day: int
    n_baseline: int
    exposure: ScoreShift | None = None
    group_js: float | None = None  # bits, 0 (same mix) to 1
    groups_day: dict[str, int] = {}
    groups_baseline: dict[str, int] = {}
    notes: list[str] = []


def group_divergence(a: dict[str, int], b: dict[str, int]) -> float:
    keys = sorted(set(a) | set(b))
    p = np.array([a.get(k, 0) for k in keys], dtype=float)
    q = np.array([b.get(k, 0) for k in keys], dtype=float)
    return float(jensenshannon(p / p.sum(), q / q.sum(), base=2) ** 2)


def baseline_day(conn: psycopg.Connection, day: dt.date) -> dt.date | None:
    row = conn.execute(
        """SELECT max(collected_on) FROM postings.posting
           WHERE collected_on < %s AND status = 'accepted' AND coding_status = 'coded'""",
        (day,),
    ).fetchone()
    return row[0]


def compute_drift(conn: psycopg.Connection, day: dt.date) -> MixDrift:
    base = baseline_day(conn, day)
    groups_day = dict(conn.execute(GROUPS_SQL, (day,)).fetchall())
    groups_base = dict(conn.execute(GROUPS_SQL, (base,)).fetchall()) if base else {}
    drift = MixDrift(
        day=day,
        baseline_day=base,
        n_day=sum(groups_day.values()),
        n_baseline=sum(groups_base.values()),
        groups_day=groups_day,
        groups_baseline=groups_base,
    )
    if base is None:
        drift.notes.append(f"no coded postings before {day}: nothing to compare against")
        return drift
    if not groups_day:
        drift.notes.append(f"no coded postings on {day}")
        return drift
    drift.group_js = group_divergence(groups_day, groups_base)
    before = [r[0] for r in conn.execute(SCORES_SQL, (base,))]
    after = [r[0] for r in conn.execute(SCORES_SQL, (day,))]
    if before and after:
        drift.exposure = score_shift(before, after)
    return drift


def to_markdown(drift: MixDrift) -> str:
    lines = [f"## Posting mix {drift.baseline_day or '(none)'} → {drift.day}", ""]
    lines.append(f"Coded postings: {drift.n_baseline:,} → {drift.n_day:,}.")
    if drift.exposure:
        e = drift.exposure
        lines += [
            "",
            f"Exposure (top occupation's AI score): mean {e.mean_before:.4f} → {e.mean_after:.4f}, "
            f"KS {e.ks_statistic:.4f} (p {e.ks_pvalue:.4g}), JS {e.js_divergence:.6f} bits.",
        ]
    if drift.group_js is not None:
        lines += ["", f"Major-group mix JS divergence: {drift.group_js:.6f} bits.", ""]
        lines += ["| major group | before | after |", "|---|---:|---:|"]
        for g in sorted(set(drift.groups_day) | set(drift.groups_baseline)):
            lines.append(f"| {g} | {drift.groups_baseline.get(g, 0)} | {drift.groups_day.get(g, 0)} |")
    lines += [f"_{n}_" for n in drift.notes]
    return "\n".join(lines).rstrip() + "\n"


def store_drift(conn: psycopg.Connection, drift: MixDrift, markdown: str) -> None:
    conn.execute(
        """INSERT INTO postings.mix_drift (day, baseline_day, n_day, n_baseline, exposure_ks, exposure_js, group_js,
               report, markdown) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
           ON CONFLICT (day) DO UPDATE SET baseline_day = EXCLUDED.baseline_day, created_at = now(),
               n_day = EXCLUDED.n_day, n_baseline = EXCLUDED.n_baseline, exposure_ks = EXCLUDED.exposure_ks,
               exposure_js = EXCLUDED.exposure_js, group_js = EXCLUDED.group_js, report = EXCLUDED.report,
               markdown = EXCLUDED.markdown""",
        (
            drift.day,
            drift.baseline_day,
            drift.n_day,
            drift.n_baseline,
            drift.exposure.ks_statistic if drift.exposure else None,
            drift.exposure.js_divergence if drift.exposure else None,
            drift.group_js,
            Jsonb(drift.model_dump(mode="json")),
            markdown,
        ),
    )
