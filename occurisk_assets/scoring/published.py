"""Published task ratings as offline raters: Eloundou, Manning, Mishkin & Rock (2023), "GPTs are GPTs".

Each rating column of full_labelset.tsv is one "model". Ratings are joined to the current catalog by
(O*NET-SOC code, Task ID), falling back to the normalised task text within the same O*NET-SOC code;
tasks with no rating are reported, never dropped silently.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx

from occurisk_assets.lib.downloads import download
from occurisk_assets.lib.settings import Settings, get_settings
from occurisk_assets.scoring.catalog import CatalogTask
from occurisk_assets.scoring.config import ModelConfig, PublishedConfig

# E0 no exposure, E1 direct exposure (an LLM alone halves the task's time), E2 exposure through
# LLM-powered software. 0.5 for E2 is the paper's primary measure beta = E1 + 0.5 * E2.
EXPOSURE_SCORES = {"E0": 0.0, "E1": 1.0, "E2": 0.5}
# T0 (no automation) .. T4 (full automation), evenly spaced as in the paper's own `automation` column.
AUTOMATION_SCORES = {"T0": 0.0, "T1": 0.25, "T2": 0.5, "T3": 0.75, "T4": 1.0}
COLUMN_SCALES = {
    "gpt4_exposure": EXPOSURE_SCORES,
    "human_exposure_agg": EXPOSURE_SCORES,
    "gpt4_exposure_alt_rubric": EXPOSURE_SCORES,
    "gpt4_automation": AUTOMATION_SCORES,
}
# The prompt_version of a published run: the mapping above. Change the mapping, change this.
MAPPING_VERSION = "eloundou2023-map-v1"
KEY_COLUMNS = ("O*NET-SOC Code", "Task ID", "Task")

MatchMethod = Literal["id", "text"]


@dataclass(frozen=True)
class PublishedLabel:
    line_no: int
    onetsoc_code: str
    task_id: int
    task_text: str
    labels: dict[str, str]


@dataclass(frozen=True)
class Labelset:
    path: Path
    sha256: str
    labels: list[PublishedLabel]

    @property
    def model_version(self) -> str:
        return f"gpts-are-gpts:{self.sha256[:12]}"


@dataclass(frozen=True)
class PublishedScore:
    task: CatalogTask
    score: float
    method: MatchMethod
    raw_json_ref: str


def normalise_text(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def labelset_path(config: PublishedConfig, settings: Settings | None = None) -> Path:
    """The shared copy when present; otherwise a one-time download into OCCURISK_HOME."""
    settings = settings or get_settings()
    local = settings.exposure_data_dir / config.file_name
    if local.exists():
        return local
    downloaded = settings.home / "downloads" / "gpts_are_gpts" / config.file_name
    if not downloaded.exists():
        try:
            download(config.download_url, downloaded)
        except (httpx.HTTPError, OSError) as exc:
            raise FileNotFoundError(
                f"{local} is absent and downloading {config.download_url} failed: {exc}"
            ) from exc
    return downloaded


def load_labelset(path: Path) -> Labelset:
    """Read and validate full_labelset.tsv; errors name the file, the line and the column."""
    raw = path.read_bytes()
    reader = csv.reader(io.StringIO(raw.decode("utf-8"), newline=""), delimiter="\t")
    header = next(reader, None)
    if header is None:
        raise ValueError(f"{path}:1: empty file")
    missing = [c for c in (*KEY_COLUMNS, *COLUMN_SCALES) if c not in header]
    if missing:
        raise ValueError(f"{path}:1: missing columns {missing}")
    index = {name: header.index(name) for name in (*KEY_COLUMNS, *COLUMN_SCALES)}
    labels = []
    for row in reader:
        line_no = reader.line_num
        if len(row) != len(header):
            raise ValueError(f"{path}:{line_no}: {len(row)} fields, the header has {len(header)}")
        task_id_text = row[index["Task ID"]]
        try:
            task_id_float = float(task_id_text)  # written by pandas as a float: '8823.0'
        except ValueError:
            raise ValueError(
                f"{path}:{line_no}: column 'Task ID': {task_id_text!r} is not a number"
            ) from None
        if not task_id_float.is_integer():
            raise ValueError(f"{path}:{line_no}: column 'Task ID': {task_id_text!r} is not a whole number")
        values = {}
        for column, scale in COLUMN_SCALES.items():
            value = row[index[column]]
            if value not in scale:
                raise ValueError(
                    f"{path}:{line_no}: column {column!r}: unknown label {value!r} (expected {sorted(scale)})"
                )
            values[column] = value
        labels.append(
            PublishedLabel(
                line_no, row[index["O*NET-SOC Code"]], int(task_id_float), row[index["Task"]], values
            )
        )
    return Labelset(path=path, sha256=hashlib.sha256(raw).hexdigest(), labels=labels)


def rate_tasks(
    tasks: list[CatalogTask], labelset: Labelset, model: ModelConfig
) -> tuple[list[PublishedScore], list[CatalogTask]]:
    """(scores of the tasks that have a rating, tasks that have none)."""
    column = model.label_column
    if column not in COLUMN_SCALES:
        raise ValueError(
            f"model {model.name!r}: label_column {column!r} is not one of {sorted(COLUMN_SCALES)}"
        )
    scale = COLUMN_SCALES[column]
    by_id = {(label.onetsoc_code, label.task_id): label for label in labelset.labels}
    by_text: dict[tuple[str, str], list[PublishedLabel]] = defaultdict(list)
    for label in labelset.labels:
        by_text[(label.onetsoc_code, normalise_text(label.task_text))].append(label)
    scored, unscored = [], []
    for task in tasks:
        label = by_id.get((task.onetsoc_code, task.task_id))
        method: MatchMethod = "id"
        if label is None:
            candidates = by_text.get((task.onetsoc_code, normalise_text(task.task_statement)), [])
            # Two ratings of the same text that disagree cannot be told apart: leave the task unscored.
            if candidates and len({c.labels[column] for c in candidates}) == 1:
                label, method = candidates[0], "text"
        if label is None:
            unscored.append(task)
            continue
        ref = f"gpts-are-gpts:{labelset.path.name}#L{label.line_no}:{column}={label.labels[column]}:match={method}"
        scored.append(
            PublishedScore(task=task, score=scale[label.labels[column]], method=method, raw_json_ref=ref)
        )
    return scored, unscored
