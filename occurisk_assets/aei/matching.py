"""AEI task texts → O*NET task ids of one data_version, in four passes, each only over what the previous
left: `exact` (identical; a release that lower-cases its texts is compared with the O*NET text
lower-cased), `normalised` (case, punctuation and whitespace ignored), `older_wording` (exact or normalised
against the wording an older loaded O*NET release gave a task that this data_version still has), and
`similar` (TF-IDF cosine of the normalised texts ≥ SIMILARITY_THRESHOLD, set on the labelled sample
match_labels.csv; see docs/methodology.md). A text left unmatched gets one row with method 'none'.

A text matches every O*NET task with that statement (the same statement can belong to several
occupations)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import psycopg
from sklearn.feature_extraction.text import TfidfVectorizer

# Chosen on the labelled sample (occurisk_assets/aei/match_labels.csv, tests/aei/test_matching.py).
SIMILARITY_THRESHOLD = 0.7
NON_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    return NON_WORD.sub(" ", text.casefold()).strip()


def exact_key(text: str) -> str:
    return text.strip()


@dataclass(frozen=True)
class OnetTask:
    onetsoc_code: str
    task_id: int
    text: str


@dataclass(frozen=True)
class Match:
    task_text: str
    onetsoc_code: str | None
    task_id: int | None
    method: str
    similarity: float | None = None
    matched_text: str | None = None


def index(tasks: Iterable[OnetTask], key) -> dict[str, list[OnetTask]]:
    found: dict[str, list[OnetTask]] = defaultdict(list)
    for task in tasks:
        found[key(task.text)].append(task)
    return found


def lookup(text: str, exact: dict, lowered: dict, normalised: dict) -> tuple[str, list[OnetTask]] | None:
    if hits := exact.get(exact_key(text)):
        return "exact", hits
    # A release that lower-cases its texts: the text is its own lower case.
    if text == text.lower() and (hits := lowered.get(exact_key(text))):
        return "exact", hits
    if hits := normalised.get(normalise(text)):
        return "normalised", hits
    return None


def indexes(tasks: list[OnetTask]) -> tuple[dict, dict, dict]:
    return (
        index(tasks, exact_key),
        index(tasks, lambda t: exact_key(t).lower()),
        index(tasks, normalise),
    )


def best_similar(texts: list[str], tasks: list[OnetTask]) -> dict[str, tuple[float, list[OnetTask]]]:
    """Each text's most similar O*NET statement (TF-IDF cosine of word uni- and bigrams, normalised)."""
    if not texts:
        return {}
    by_text = index(tasks, normalise)
    statements = sorted(by_text)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(
        statements + [normalise(t) for t in texts]
    )
    onet = vectorizer.transform(statements)
    best: dict[str, tuple[float, list[OnetTask]]] = {}
    for start in range(0, len(texts), 500):
        chunk = texts[start : start + 500]
        similarity = vectorizer.transform([normalise(t) for t in chunk]) @ onet.T
        for row, text in enumerate(chunk):
            scores = similarity.getrow(row)
            if scores.nnz:
                column = scores.indices[scores.data.argmax()]
                best[text] = (float(scores.data.max()), by_text[statements[column]])
    return best


def match_texts(
    texts: Iterable[str],
    current: list[OnetTask],
    older: list[OnetTask],
    threshold: float = SIMILARITY_THRESHOLD,
) -> list[Match]:
    """Match every distinct text to `current` (the data_version's tasks); `older` are the wordings of older
    releases, only of tasks (occupation, task id) that `current` still has."""
    now = indexes(current)
    still = {(t.onetsoc_code, t.task_id) for t in current}
    before = indexes([t for t in older if (t.onetsoc_code, t.task_id) in still])
    matches: list[Match] = []
    left: list[str] = []
    for text in sorted(set(texts)):
        if found := lookup(text, *now):
            method, hits = found
        elif found := lookup(text, *before):
            method, hits = "older_wording", found[1]
        else:
            left.append(text)
            continue
        matches.extend(Match(text, t.onetsoc_code, t.task_id, method, matched_text=t.text) for t in hits)
    similar = best_similar(left, current)
    for text in left:
        score, hits = similar.get(text, (0.0, []))
        if hits and score >= threshold:
            matches.extend(Match(text, t.onetsoc_code, t.task_id, "similar", score, t.text) for t in hits)
        else:
            best = hits[0].text if hits else None
            matches.append(Match(text, None, None, "none", score if hits else None, best))
    return matches


def onet_tasks(conn: psycopg.Connection, data_version: str, older: bool = False) -> list[OnetTask]:
    """The task statements of a data_version, or (older) the wordings of every other loaded version."""
    if older:
        rows = conn.execute(
            """SELECT DISTINCT onetsoc_code, task_id, task FROM onet_raw.task_statements
               WHERE data_version <> %s""",
            (data_version,),
        )
    else:
        rows = conn.execute(
            "SELECT onetsoc_code, task_id, task FROM onet_raw.task_statements WHERE data_version = %s",
            (data_version,),
        )
    return [OnetTask(*row) for row in rows]


def release_texts(conn: psycopg.Connection, aei_release: str) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            """SELECT task_text FROM aei.task_penetration WHERE aei_release = %(r)s
               UNION SELECT task_text FROM aei.task_usage WHERE aei_release = %(r)s
               UNION SELECT task_text FROM aei.task_interaction WHERE aei_release = %(r)s""",
            {"r": aei_release},
        )
    ]


@dataclass
class MatchReport:
    aei_release: str
    data_version: str
    texts: int
    # per file of the release: rows by the method their text matched with
    files: dict[str, dict[str, int]]
    unmatched: list[str]

    def matched_share(self, file_name: str) -> float:
        counts = self.files[file_name]
        total = sum(counts.values())
        return (total - counts.get("none", 0)) / total if total else 0.0


def write_matches(
    conn: psycopg.Connection, aei_release: str, data_version: str, matches: list[Match]
) -> None:
    with conn.transaction():
        conn.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))",
            (f"occurisk.aei.match.{aei_release}.{data_version}",),
        )
        conn.execute(
            "DELETE FROM aei.task_match WHERE aei_release = %s AND data_version = %s",
            (aei_release, data_version),
        )
        with conn.cursor().copy(
            "COPY aei.task_match (aei_release, data_version, task_text, onetsoc_code, task_id, method, "
            "similarity, matched_text) FROM STDIN"
        ) as copy:
            for m in matches:
                copy.write_row(
                    [
                        aei_release,
                        data_version,
                        m.task_text,
                        m.onetsoc_code,
                        m.task_id,
                        m.method,
                        m.similarity,
                        m.matched_text,
                    ]
                )


def match_report(conn: psycopg.Connection, aei_release: str, data_version: str) -> MatchReport:
    """Rows of each file of the release by how their text matched (a text's best method), from the table."""
    files: dict[str, dict[str, int]] = defaultdict(dict)
    for file_name, method, rows in conn.execute(
        """WITH method AS (
               SELECT task_text, min(array_position(
                   ARRAY['exact','normalised','older_wording','similar','none'], method)) AS rank
               FROM aei.task_match WHERE aei_release = %(r)s AND data_version = %(v)s GROUP BY task_text),
           rows AS (
               SELECT f.file_name, t.task_text FROM aei.release_file f
               JOIN (SELECT 'task_penetration' AS tbl, task_text, line_no FROM aei.task_penetration WHERE aei_release = %(r)s
                     UNION ALL SELECT 'task_usage', task_text, line_no FROM aei.task_usage WHERE aei_release = %(r)s
                     UNION ALL SELECT 'task_interaction', task_text, line_no FROM aei.task_interaction WHERE aei_release = %(r)s) t
                 ON t.tbl = f.table_name
               WHERE f.aei_release = %(r)s)
           SELECT file_name, (ARRAY['exact','normalised','older_wording','similar','none'])[rank], count(*)
           FROM rows JOIN method USING (task_text) GROUP BY 1, 2""",
        {"r": aei_release, "v": data_version},
    ):
        files[file_name][method] = rows
    unmatched = [
        row[0]
        for row in conn.execute(
            """SELECT task_text FROM aei.task_match WHERE aei_release = %s AND data_version = %s AND method = 'none'
               ORDER BY task_text""",
            (aei_release, data_version),
        )
    ]
    texts = conn.execute(
        "SELECT count(DISTINCT task_text) FROM aei.task_match WHERE aei_release = %s AND data_version = %s",
        (aei_release, data_version),
    ).fetchone()[0]
    return MatchReport(aei_release, data_version, texts, dict(files), unmatched)


def match_release(conn: psycopg.Connection, aei_release: str, data_version: str) -> MatchReport:
    matches = match_texts(
        release_texts(conn, aei_release),
        onet_tasks(conn, data_version),
        onet_tasks(conn, data_version, older=True),
    )
    write_matches(conn, aei_release, data_version, matches)
    conn.commit()
    return match_report(conn, aei_release, data_version)
