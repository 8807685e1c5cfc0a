"""What an AEI release folder holds, and how each of its CSV files is read and checked.

Files are known by name (the names the Hugging Face dataset `Anthropic/EconomicIndex` uses); a release is
a folder of them. Every row is checked before anything is written: a malformed file raises AeiFileError
naming the file and the line, so the load stops with the previous data untouched.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ATTRIBUTION = "Anthropic Economic Index (CC BY)"
HANDA_2025 = "Handa et al. (2025), arXiv:2503.04761"
MASSENKOFF_2026 = "Massenkoff & McCrory (2026), Labor market impacts of AI: A new measure and early evidence"
SOC_CODE = re.compile(r"^[0-9]{2}-[0-9]{4}$")
RELEASE_FOLDER = re.compile(r"^release_([0-9]{4})_([0-9]{2})_([0-9]{2})$")
# The one release folder not named after its date: the note of 5 March 2026.
LABOR_MARKET_IMPACTS = "labor_market_impacts"
LABOR_MARKET_IMPACTS_PUBLISHED = date(2026, 3, 5)


class AeiFileError(ValueError):
    """An AEI file that cannot be loaded as it is; the message names the file and line."""


def share(low: float, high: float) -> Callable[[str], float]:
    def parse(value: str) -> float:
        number = float(value)
        if math.isnan(number) or not low <= number <= high:
            raise ValueError(f"expected a number from {low:g} to {high:g}")
        return number

    return parse


def non_negative(value: str) -> float:
    number = float(value)
    if math.isnan(number) or number < 0:
        raise ValueError("expected a number ≥ 0")
    return number


def text(value: str) -> str:
    if not value.strip():
        raise ValueError("empty text")
    return value


def soc_code(value: str) -> str:
    if not SOC_CODE.match(value):
        raise ValueError("expected a SOC code XX-XXXX")
    return value


@dataclass(frozen=True)
class FileSpec:
    file_name: str
    table: str  # in the aei schema
    # header name → (table column, parser)
    columns: dict[str, tuple[str, Callable[[str], Any]]]

    @property
    def table_columns(self) -> list[str]:
        return [column for column, _ in self.columns.values()]


INTERACTIONS = ["feedback_loop", "directive", "task_iteration", "validation", "learning", "filtered"]
SPECS = [
    FileSpec(
        "job_exposure.csv",
        "job_exposure",
        {
            "occ_code": ("soc_code", soc_code),
            "title": ("title", text),
            "observed_exposure": ("observed_exposure", share(0, 1)),
        },
    ),
    FileSpec(
        "task_penetration.csv",
        "task_penetration",
        {"task": ("task_text", text), "penetration": ("penetration", share(0, 1))},
    ),
    FileSpec(
        "onet_task_mappings.csv",
        "task_usage",
        {"task_name": ("task_text", text), "pct": ("pct", non_negative)},
    ),
    FileSpec(
        "task_pct_v2.csv", "task_usage", {"task_name": ("task_text", text), "pct": ("pct", non_negative)}
    ),
    FileSpec(
        "automation_vs_augmentation_by_task.csv",
        "task_interaction",
        {"task_name": ("task_text", text), **{name: (name, share(0, 1)) for name in INTERACTIONS}},
    ),
    FileSpec(
        "automation_vs_augmentation.csv",
        "interaction_share",
        {"interaction_type": ("interaction_type", text), "pct": ("pct", share(0, 100))},
    ),
]
SPEC_BY_FILE = {spec.file_name: spec for spec in SPECS}
# The tables a release's task texts come from (the texts matched to O*NET).
TASK_TABLES = ["task_penetration", "task_usage", "task_interaction"]


@dataclass(frozen=True)
class Release:
    """An AEI release: a folder of known files, keyed like '2025_03_27' or 'labor_market_impacts'."""

    key: str
    folder: Path
    published_on: date
    citation: str

    @property
    def files(self) -> list[Path]:
        return sorted(p for p in self.folder.iterdir() if p.name in SPEC_BY_FILE)


def release_of(folder: Path) -> Release | None:
    """The release a folder holds, or None when its name is not a release's or it has no known file."""
    if folder.name == LABOR_MARKET_IMPACTS:
        release = Release(
            LABOR_MARKET_IMPACTS, folder, LABOR_MARKET_IMPACTS_PUBLISHED, f"{MASSENKOFF_2026}; {HANDA_2025}"
        )
    elif match := RELEASE_FOLDER.match(folder.name):
        year, month, day = map(int, match.groups())
        release = Release(f"{year:04d}_{month:02d}_{day:02d}", folder, date(year, month, day), HANDA_2025)
    else:
        return None
    return release if folder.is_dir() and release.files else None


def find_releases(*roots: Path) -> dict[str, Release]:
    """Every release folder under the roots; the first root holding a release wins."""
    found: dict[str, Release] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            release = release_of(folder)
            if release and release.key not in found:
                found[release.key] = release
    return found


@dataclass
class ParsedFile:
    spec: FileSpec
    path: Path
    header: list[str]
    rows: list[dict[str, Any]]  # table column → value, plus line_no
    bytes: int
    sha256: str


def read_file(path: Path) -> ParsedFile:
    """Every row of one AEI file, checked: the header must be the known one, each value must parse."""
    spec = SPEC_BY_FILE[path.name]
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise AeiFileError(f"{path}: line {line}: not UTF-8 text") from None
    reader = csv.reader(content.splitlines(keepends=True), strict=True)
    try:
        header = next(reader, [])
        if header != list(spec.columns):
            raise AeiFileError(f"{path}: line 1: header {header} is not the expected {list(spec.columns)}")
        rows = []
        for fields in reader:
            line_no = reader.line_num
            if len(fields) != len(header):
                raise AeiFileError(f"{path}: line {line_no}: {len(fields)} fields, expected {len(header)}")
            row: dict[str, Any] = {"line_no": line_no}
            for name, value in zip(header, fields, strict=True):
                column, parse = spec.columns[name]
                try:
                    row[column] = parse(value)
                except ValueError as error:
                    message = str(error) if not str(error).startswith("could not convert") else "not a number"
                    raise AeiFileError(f"{path}: line {line_no}: column {name}: {message}") from None
            rows.append(row)
    except csv.Error as error:
        raise AeiFileError(f"{path}: line {reader.line_num}: {error}") from None
    if not rows:
        raise AeiFileError(f"{path}: no data rows")
    return ParsedFile(spec, path, header, rows, len(raw), hashlib.sha256(raw).hexdigest())
