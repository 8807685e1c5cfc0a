"""`occurisk postings import FILE`: JSON Lines (one schema.org JobPosting object per line) or CSV (a header
row of JobPosting field names; cells holding JSON objects or lists, e.g. baseSalary, are parsed).

A line that cannot be read is reported with its file and line and counted; the other lines are imported.
Re-importing a file never duplicates: a posting is keyed by its identifier, else its url, else a hash of
its content."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from occurisk_assets.postings.records import (
    PostingRecord,
    from_job_posting,
    load_json,
    natural_key,
    storage_problem,
)
from occurisk_assets.postings.store import store_postings

JSON_LINES_SUFFIXES = {".jsonl", ".ndjson", ".json"}


class ImportFormatError(ValueError):
    pass


@dataclass
class ImportReport:
    path: str
    n_records: int = 0
    inserted: int = 0
    seen_again: int = 0
    errors: list[str] = field(default_factory=list)  # "<file>:<line>: <what is wrong>"


def _record(obj: dict, origin: str) -> PostingRecord:
    key = natural_key(obj) or "sha256:" + hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()
    return from_job_posting(obj, "file", key, origin=origin)


def _json_lines(path: Path, errors: list[str]) -> Iterator[PostingRecord]:
    with open(path, "rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            try:  # line by line, so that one line in another encoding costs only that line
                line = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                errors.append(
                    f"{path.name}:{line_no}: not UTF-8 text (byte {raw[exc.start]:#04x} at column {exc.start + 1})"
                )
                continue
            if not line.strip():
                continue
            try:
                obj = load_json(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{path.name}:{line_no}: not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            except ValueError as exc:  # NaN, Infinity, a NUL character, nesting too deep: not storable
                errors.append(f"{path.name}:{line_no}: {exc}")
                continue
            if not isinstance(obj, dict):
                errors.append(f"{path.name}:{line_no}: expected a JSON object, got {type(obj).__name__}")
                continue
            yield _record(obj, f"{path.name}:{line_no}")


def _cell(value: str):
    value = value.strip()
    if value[:1] in "{[":
        try:
            return load_json(value)
        except ValueError:  # not JSON after all (or JSON the tables cannot store): kept as the text it is
            return value
    return value or None


def _csv(path: Path, errors: list[str]) -> Iterator[PostingRecord]:
    data = path.read_bytes().removeprefix(codecs.BOM_UTF8)  # whole: imported in one transaction anyway
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_no = data.count(b"\n", 0, exc.start) + 1
        raise ImportFormatError(
            f"{path.name}:{line_no}: not UTF-8 text (byte {data[exc.start]:#04x}); "
            "save the file as UTF-8 and import it again"
        ) from exc
    yield from _csv_rows(path, csv.DictReader(io.StringIO(text, newline="")), errors)


def _csv_rows(path: Path, reader: csv.DictReader, errors: list[str]) -> Iterator[PostingRecord]:
    if not reader.fieldnames or "title" not in reader.fieldnames:
        raise ImportFormatError(
            f"{path.name}:1: the header must name schema.org JobPosting fields (title, description, …); "
            f"found {reader.fieldnames}"
        )
    for row in reader:
        line_no = reader.line_num
        if None in row:
            errors.append(f"{path.name}:{line_no}: more cells than header columns")
            continue
        obj = {k: v for k, v in ((k, _cell(v or "")) for k, v in row.items()) if v is not None}
        if problem := storage_problem(obj):
            errors.append(f"{path.name}:{line_no}: {problem}")
            continue
        yield _record(obj, f"{path.name}:{line_no}")


def read_file(path: Path, errors: list[str]) -> Iterator[PostingRecord]:
    if not path.is_file():
        raise ImportFormatError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv(path, errors)
    if suffix in JSON_LINES_SUFFIXES:
        return _json_lines(path, errors)
    raise ImportFormatError(f"{path.name}: unknown format (expected .jsonl, .ndjson, .json or .csv)")


def import_file(conn: psycopg.Connection, path: Path, collected_on: dt.date | None = None) -> ImportReport:
    """Import one file in one transaction: a failure leaves the postings as they were."""
    report = ImportReport(path=str(path))
    records = list(read_file(path, report.errors))
    report.n_records = len(records)
    with conn.transaction():
        counts = store_postings(conn, records, collected_on)
    report.inserted, report.seen_again = counts["inserted"], counts["seen_again"]
    return report
