"""The coder's training and held-out texts, read from one data_version's raw O*NET tables.

Training: occupation titles (weight 3), descriptions, task statements (weight 1), alternate and reported
titles and the project's Korean names and everyday words (weight 2). Held out: every alternate or reported title whose normalised text hashes into bucket 0
of 10 — decided by the text alone, so a title is held out in every version and every retraining, and two
models of one version are always compared on the same titles — unless the same normalised text is trained on
anyway (an occupation's own title, a task, a Korean term): then it is trained on, never held out.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import psycopg

HELD_OUT_BUCKETS = 10
WEIGHTS = {
    "title": 3.0,
    "description": 1.0,
    "task": 1.0,
    "alternate_title": 2.0,
    "reported_title": 2.0,
    "korean_term": 2.0,
}


@dataclass(frozen=True)
class Example:
    text: str
    soc_code: str
    source: str  # a key of WEIGHTS

    @property
    def weight(self) -> float:
        return WEIGHTS[self.source]


@dataclass
class Corpus:
    data_version: str
    train: list[Example] = field(default_factory=list)
    held_out: list[Example] = field(default_factory=list)
    titles: dict[str, tuple[str, str]] = field(default_factory=dict)  # soc_code → (onetsoc_code, title)

    def fingerprint(self) -> str:
        """sha256 of every example: the same corpus gives the same model."""
        h = hashlib.sha256()
        for part, examples in (("train", self.train), ("held_out", self.held_out)):
            for e in examples:
                h.update(f"{part}\t{e.source}\t{e.soc_code}\t{e.text}\n".encode())
        return h.hexdigest()


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def is_held_out(title: str) -> bool:
    digest = hashlib.sha256(normalise(title).encode()).digest()
    return int.from_bytes(digest[:8], "big") % HELD_OUT_BUCKETS == 0


def in_calibration_half(title: str) -> bool:
    """Half of the held-out titles fit the coder's calibration, the other half measure it (by text alone)."""
    return hashlib.sha256(normalise(title).encode()).digest()[8] % 2 == 0


def _rows(conn: psycopg.Connection, sql: str, data_version: str) -> list[tuple]:
    """Rows of an optional raw table; none when the release lacks the file (the table may not exist)."""
    table = sql.split(" FROM ")[1].split()[0]
    if conn.execute("SELECT to_regclass(%s)", [table]).fetchone()[0] is None:
        return []
    return conn.execute(sql, [data_version]).fetchall()


def build_corpus(rows: dict[str, list[tuple[str, str]]], data_version: str) -> Corpus:
    """`rows`: source → [(onetsoc_code, text)], plus "occupation" → [(onetsoc_code, title, description)]."""
    corpus = Corpus(data_version)
    for onetsoc_code, title, description in sorted(rows["occupation"]):
        soc = onetsoc_code[:7]
        # The SOC's name: its .00 O*NET-SOC occupation, else its first one.
        if soc not in corpus.titles or onetsoc_code.endswith(".00"):
            corpus.titles[soc] = (onetsoc_code, title)
        corpus.train.append(Example(title, soc, "title"))
        if description:
            corpus.train.append(Example(description, soc, "description"))
    for source in ("task", "alternate_title", "reported_title", "korean_term"):
        for onetsoc_code, text in rows.get(source, []):
            if not text or onetsoc_code[:7] not in corpus.titles:
                continue
            example = Example(text, onetsoc_code[:7], source)
            if source in ("alternate_title", "reported_title") and is_held_out(text):
                corpus.held_out.append(example)
            else:
                corpus.train.append(example)
    trained = {normalise(e.text) for e in corpus.train}
    corpus.train += [e for e in corpus.held_out if normalise(e.text) in trained]
    corpus.held_out = [e for e in corpus.held_out if normalise(e.text) not in trained]
    return corpus


def read_corpus(conn: psycopg.Connection, data_version: str) -> Corpus:
    where = "WHERE data_version = %s ORDER BY line_no"
    rows = {
        "occupation": _rows(
            conn,
            f"SELECT onetsoc_code, title, description FROM onet_raw.occupation_data {where}",
            data_version,
        ),
        "task": _rows(conn, f"SELECT onetsoc_code, task FROM onet_raw.task_statements {where}", data_version),
        "alternate_title": _rows(
            conn, f"SELECT onetsoc_code, alternate_title FROM onet_raw.alternate_titles {where}", data_version
        ),
        "reported_title": _rows(
            conn,
            f"SELECT onetsoc_code, reported_job_title FROM onet_raw.sample_of_reported_titles {where}",
            data_version,
        ),
        "korean_term": _rows(
            conn,
            "SELECT onetsoc_code, term FROM core.occupation_korean_term WHERE data_version = %s "
            "ORDER BY onetsoc_code, term",
            data_version,
        ),
    }
    if not rows["occupation"]:
        raise ValueError(f"O*NET {data_version} has no occupations loaded (onet_raw.occupation_data)")
    return build_corpus(rows, data_version)
