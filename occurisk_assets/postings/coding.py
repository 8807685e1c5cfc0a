"""Coding postings: each accepted English posting → its top-3 SOC occupations with the coder's confidence,
its exposure (the top occupation's AI score in the active O*NET version) and its listed duties matched to
their nearest O*NET task statements (TF-IDF cosine) with those tasks' AI scores.

The occupation coder (`occurisk_assets.coder`, shared with the career assistant: the production model
of the active O*NET version), reached through one seam, `load_coder()`. Low-confidence codes (top confidence
below OCCURISK_POSTINGS_MIN_CONFIDENCE) are stored and shown with a flag, never hidden."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import psycopg
from sklearn.feature_extraction.text import TfidfVectorizer

from occurisk_assets.coder.model import is_unsure
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.text.korean_terms import has_hangul
from occurisk_assets.versions import active_version

TOP_K = 3

TASKS_SQL = """
SELECT c.task_id, c.onetsoc_code, c.task_statement, e.mean::float8 AS ai_score
FROM marts.task_catalog c
LEFT JOIN marts.task_ai_ensemble e ON e.data_version = c.data_version AND e.task_id = c.task_id
WHERE c.data_version = %s ORDER BY c.task_id
"""
OCCUPATIONS_SQL = """
SELECT DISTINCT ON (m.soc_code) m.soc_code, m.title, s.mean::float8 AS ai_score
FROM marts.occupation_master m
LEFT JOIN marts.occupation_ai_score s ON s.data_version = m.data_version AND s.soc_code = m.soc_code
WHERE m.data_version = %s ORDER BY m.soc_code, m.onetsoc_code
"""


class CoderUnavailable(RuntimeError):
    pass


class Prediction(Protocol):
    soc_code: str
    confidence: float


class OccupationCoder(Protocol):
    """The career assistant's coder (occurisk_assets.coder): `model_version`, and `predict` giving each
    text's k most likely SOC codes, most likely first."""

    model_version: str

    def predict(self, texts: list[str], k: int = TOP_K) -> list[list[Prediction]]: ...


def load_coder(data_version: str | None = None) -> OccupationCoder:
    """The production occupation coder of `data_version` (default: the active version)."""
    try:
        from occurisk_assets.coder.serving import load_production_coder
    except ImportError as exc:
        raise CoderUnavailable(
            f"the occupation coder (occurisk_assets.coder) is not installed: {exc}"
        ) from exc
    try:
        return load_production_coder(data_version)
    except RuntimeError as exc:  # CoderNotTrained: no production model registered for the version
        raise CoderUnavailable(str(exc)) from exc


# Korean duties match tasks by meaning; below this cosine no task of the coded occupations is said to match.
MIN_MEANING_SIMILARITY = 0.25
# The languages the coder reads (its Korean comes from the project's Korean terms and the encoder).
CODED_LANGUAGES = ("en", "ko")


@dataclass(frozen=True)
class OccupationCode:
    rank: int
    soc_code: str
    title: str | None
    confidence: float
    ai_score: float | None


@dataclass(frozen=True)
class DutyMatch:
    duty_no: int
    duty: str
    task_id: int | None
    task_statement: str | None
    onetsoc_code: str | None
    similarity: float
    ai_score: float | None


@dataclass(frozen=True)
class CodedPosting:
    occupations: list[OccupationCode]
    duties: list[DutyMatch]
    low_confidence: bool
    unsure: bool = False  # the coder's own rule (occurisk_assets.coder.model.is_unsure)

    @property
    def top(self) -> OccupationCode | None:
        return self.occupations[0] if self.occupations else None


class TaskIndex:
    """The O*NET task statements of one version as TF-IDF vectors, for nearest-task look-ups."""

    def __init__(self, tasks: list[tuple[int, str, str, float | None]]) -> None:
        self.tasks = tasks
        self.vectorizer = TfidfVectorizer(
            stop_words="english", ngram_range=(1, 2), sublinear_tf=True, min_df=1
        )
        self.matrix = self.vectorizer.fit_transform([t[2] for t in tasks])

    def nearest(self, texts: list[str]) -> list[tuple[int, float]]:
        """For each text, the index of its nearest task and the cosine similarity (rows are L2-normalised)."""
        if not texts:
            return []
        sims = (self.vectorizer.transform(texts) @ self.matrix.T).toarray()
        best = sims.argmax(axis=1)
        return [(int(i), float(sims[row, i])) for row, i in enumerate(best)]

    def match_duties_by_meaning(self, duties: list[str], soc_codes: list[str]) -> list[DutyMatch]:
        """Duties in another language than the tasks' (a Korean ad): each to the nearest task, by the
        multilingual encoder's cosine, among the tasks of the ad's coded occupations."""
        from occurisk_assets.text.encoder import encode

        candidates = [i for i, t in enumerate(self.tasks) if t[1][:7] in soc_codes]
        if not duties or not candidates:
            return [DutyMatch(n, duty, None, None, None, 0.0, None) for n, duty in enumerate(duties, start=1)]
        sims = encode(duties) @ encode([self.tasks[i][2] for i in candidates]).T
        matches = []
        for n, (duty, row) in enumerate(zip(duties, sims, strict=True), start=1):
            best = int(row.argmax())
            task_id, onetsoc, statement, score = self.tasks[candidates[best]]
            if row[best] < MIN_MEANING_SIMILARITY:
                matches.append(DutyMatch(n, duty, None, None, None, round(float(row[best]), 4), None))
            else:
                matches.append(
                    DutyMatch(n, duty, task_id, statement, onetsoc, round(float(row[best]), 4), score)
                )
        return matches

    def match_duties(self, duties: list[str]) -> list[DutyMatch]:
        matches = []
        for n, (duty, (i, sim)) in enumerate(zip(duties, self.nearest(duties), strict=True), start=1):
            task_id, onetsoc, statement, score = self.tasks[i]
            if sim <= 0:
                matches.append(DutyMatch(n, duty, None, None, None, 0.0, None))
            else:
                matches.append(DutyMatch(n, duty, task_id, statement, onetsoc, round(sim, 4), score))
        return matches


@dataclass
class VersionTables:
    """What coding needs from one O*NET version: occupation titles and scores, and the task index."""

    data_version: str
    occupations: dict[str, tuple[str | None, float | None]]
    tasks: TaskIndex

    @classmethod
    def from_rows(cls, data_version: str, occupations: list, tasks: list) -> VersionTables:
        return cls(
            data_version,
            {soc: (title, score) for soc, title, score in occupations},
            TaskIndex([(t[0], t[1], t[2], t[3]) for t in tasks]),
        )

    @classmethod
    def load(cls, conn: psycopg.Connection, data_version: str) -> VersionTables:
        return cls.from_rows(
            data_version,
            conn.execute(OCCUPATIONS_SQL, (data_version,)).fetchall(),
            conn.execute(TASKS_SQL, (data_version,)).fetchall(),
        )


def posting_text(title: str | None, description: str | None) -> str:
    return f"{title or ''}\n{description or ''}".strip()


def code_batch(
    coder: OccupationCoder,
    tables: VersionTables,
    items: list[tuple[str | None, str | None, list[str]]],
    min_confidence: float,
) -> list[CodedPosting]:
    """Code (title, description, duties) triples with one call of the coder."""
    predictions = coder.predict([posting_text(t, d) for t, d, _ in items], k=TOP_K) if items else []
    coded = []
    for (_, _, duties), prediction in zip(items, predictions, strict=True):
        occupations = []
        for rank, p in enumerate(prediction[:TOP_K], start=1):
            soc = p.soc_code[:7]  # an O*NET-SOC code (15-1252.00) counts as its SOC code
            title, score = tables.occupations.get(soc, (None, None))
            occupations.append(OccupationCode(rank, soc, title, round(float(p.confidence), 4), score))
        top_conf = occupations[0].confidence if occupations else 0.0
        if has_hangul(" ".join(duties)):
            matched = tables.tasks.match_duties_by_meaning(duties, [o.soc_code for o in occupations])
        else:
            matched = tables.tasks.match_duties(duties)
        coded.append(CodedPosting(occupations, matched, top_conf < min_confidence, is_unsure(prediction)))
    return coded


def code_postings(conn: psycopg.Connection, coder: OccupationCoder | None, batch_size: int = 256) -> Counter:
    """Code every accepted posting not yet coded by this coder version against the active O*NET version
    (activating another version or a new coder version re-codes them)."""
    settings = get_settings()
    counts: Counter = Counter()
    version = active_version(conn)
    with conn.transaction():
        if version is None:
            n = conn.execute(
                """UPDATE postings.posting SET coding_status = 'no_active_version'
                   WHERE status = 'accepted' AND coded_at IS NULL"""
            ).rowcount
            if n:
                counts["no_active_version"] += n
            return counts
        n = conn.execute(
            """UPDATE postings.posting SET coding_status = 'not_english', coded_at = now(), soc_code = NULL,
                   confidence = NULL, low_confidence = NULL, ai_score = NULL, data_version = NULL
               WHERE status = 'accepted' AND language <> ALL(%s)
                 AND coding_status IS DISTINCT FROM 'not_english'""",
            (list(CODED_LANGUAGES),),
        ).rowcount
        if n:
            counts["not_english"] += n
    tables = VersionTables.load(conn, version)
    while True:
        rows = conn.execute(
            """SELECT posting_id, title, description, coalesce(duties, '{}') FROM postings.posting
               WHERE status = 'accepted' AND language = ANY(%s)
                 AND (coded_at IS NULL OR data_version IS DISTINCT FROM %s OR coder_version IS DISTINCT FROM %s)
               ORDER BY posting_id LIMIT %s""",
            (list(CODED_LANGUAGES), version, coder.model_version, batch_size),
        ).fetchall()
        if not rows:
            conn.commit()
            return counts
        coded = code_batch(
            coder, tables, [(t, d, list(u)) for _, t, d, u in rows], settings.postings_min_confidence
        )
        with conn.transaction():
            for (posting_id, *_), result in zip(rows, coded, strict=True):
                store_coding(conn, posting_id, version, coder.model_version, result)
                counts["low_confidence" if result.low_confidence else "coded"] += 1


def store_coding(
    conn: psycopg.Connection, posting_id: int, version: str, coder_version: str, result: CodedPosting
) -> None:
    top = result.top
    conn.execute("DELETE FROM postings.posting_occupation WHERE posting_id = %s", (posting_id,))
    conn.execute("DELETE FROM postings.posting_duty WHERE posting_id = %s", (posting_id,))
    for occ in result.occupations:
        conn.execute(
            """INSERT INTO postings.posting_occupation (posting_id, rank, soc_code, title, confidence, ai_score)
               VALUES (%s, %s, %s, %s, %s, %s)""",
            (posting_id, occ.rank, occ.soc_code, occ.title, occ.confidence, occ.ai_score),
        )
    for d in result.duties:
        conn.execute(
            """INSERT INTO postings.posting_duty (posting_id, duty_no, duty, task_id, task_statement, onetsoc_code,
                   similarity, ai_score) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)""",
            (
                posting_id,
                d.duty_no,
                d.duty[:2000],
                d.task_id,
                d.task_statement,
                d.onetsoc_code,
                d.similarity,
                d.ai_score,
            ),
        )
    conn.execute(
        """UPDATE postings.posting SET coding_status = 'coded', coded_at = now(), data_version = %s,
               coder_version = %s, soc_code = %s, confidence = %s, low_confidence = %s, ai_score = %s
           WHERE posting_id = %s""",
        (
            version,
            coder_version,
            top.soc_code if top else None,
            top.confidence if top else None,
            result.low_confidence,
            top.ai_score if top else None,
            posting_id,
        ),
    )


def share_above(confidences: list[float | None], threshold: float) -> float:
    values = np.array([c for c in confidences if c is not None], dtype=float)
    return float((values >= threshold).mean()) if len(values) else 0.0
