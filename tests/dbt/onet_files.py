"""Independent Python readings of the release files, to check the marts against (no SQL shared with dbt)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def spread_over_soc(raw_by_task: dict[int, float], onetsoc_by_task: dict[int, str]) -> dict[int, float]:
    """Normalise raw weights within each O*NET-SOC code, then give each code an equal share of its SOC."""
    totals: dict[str, float] = defaultdict(float)
    for task_id, raw in raw_by_task.items():
        totals[onetsoc_by_task[task_id]] += raw
    codes_by_soc: dict[str, set[str]] = defaultdict(set)
    for code in totals:
        codes_by_soc[code[:7]].add(code)
    return {
        task_id: raw / totals[onetsoc_by_task[task_id]] / len(codes_by_soc[onetsoc_by_task[task_id][:7]])
        for task_id, raw in raw_by_task.items()
    }


def task_type_raw_weight(task_type: str) -> float:
    return 2.0 if task_type == "Core" else 1.0  # Supplemental and analyst-only (n/a): 1


def rating_figures(ratings_path: Path) -> dict[int, tuple[float, float, float]]:
    """task_id -> (importance, relevance, expected FT category) from a Task Ratings file."""
    im: dict[int, float] = {}
    rt: dict[int, float] = {}
    ft_sum: dict[int, float] = defaultdict(float)
    ft_weighted: dict[int, float] = defaultdict(float)
    for row in read_rows(ratings_path):
        task_id, value = int(row["Task ID"]), float(row["Data Value"])
        if row["Scale ID"] == "IM":
            im[task_id] = value
        elif row["Scale ID"] == "RT":
            rt[task_id] = value
        elif row["Scale ID"] == "FT":
            ft_sum[task_id] += value
            ft_weighted[task_id] += int(row["Category"]) * value
    return {t: (im[t], rt[t], ft_weighted[t] / ft_sum[t]) for t in im if t in rt and ft_sum.get(t)}
