"""Ranking postings for a person: how close a posting's text is to the duties and tasks they did, how
similar its occupation is to theirs (careers.occupation_similarity), and how exposed it is — each result
with its reasons. The match score only orders postings; it is not, and is never shown as, a chance of being
hired (no labelled outcomes exist yet to estimate one)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import psycopg
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from occurisk_assets.text.requirements import NOT_SHOWN, judge

WEIGHTS = {"text": 0.5, "occupation": 0.3, "safety": 0.2}
MAX_CANDIDATES = 2000
NOT_A_PROBABILITY = (
    "The match score (0 to 1) only orders these postings for you: "
    f"{WEIGHTS['text']} × how close the ad's words are to your duties and tasks + "
    f"{WEIGHTS['occupation']} × how similar its occupation is to yours + "
    f"{WEIGHTS['safety']} × (1 − its exposure to AI). "
    "It is not a probability of being hired: no outcomes exist yet to estimate one."
)

# `q` (optional) keeps the postings whose text matches it (the same full-text search as /postings).
CANDIDATES_SQL = """
SELECT p.posting_id, p.title, p.description, coalesce(p.duties, '{}') AS duties, p.soc_code, p.ai_score,
       p.hiring_organization, p.job_location, p.url, o.title AS occupation_title,
       coalesce(array_agg(d.task_id) FILTER (WHERE d.task_id IS NOT NULL), '{}') AS task_ids,
       p.confidence, p.low_confidence
FROM postings.posting p
LEFT JOIN postings.posting_occupation o ON o.posting_id = p.posting_id AND o.rank = 1
LEFT JOIN postings.posting_duty d ON d.posting_id = p.posting_id
WHERE p.status = 'accepted' AND p.coding_status = 'coded' AND p.data_version = %(version)s
  AND (%(q)s::text IS NULL OR p.search @@ plainto_tsquery('english', %(q)s))
GROUP BY p.posting_id, o.title
ORDER BY p.collected_on DESC, p.posting_id DESC
LIMIT %(limit)s
"""
SIMILARITY_SQL = """
SELECT soc_code, similar_soc_code, similarity FROM careers.occupation_similarity
WHERE data_version = %s AND soc_code = ANY(%s)
"""


@dataclass(frozen=True)
class Person:
    """What matching reads of a profile: the SOC codes of their jobs, their duties in their own words and
    the O*NET tasks they said they did (`task_statements[i]` is the statement of `task_ids[i]`)."""

    soc_codes: list[str]
    duties: list[str]
    task_ids: list[int] = field(default_factory=list)
    task_statements: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reason:
    kind: str  # 'matched_requirement', 'matched_task', 'occupation', 'exposure'
    text: str
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PostingMatch:
    posting_id: int
    title: str | None
    hiring_organization: str | None
    job_location: str | None
    url: str | None
    soc_code: str | None
    occupation_title: str | None
    confidence: float | None  # the coder's, in the posting's occupation
    low_confidence: bool | None  # below the postings threshold: shown, with the flag, never hidden
    ai_score: float | None
    match_score: float  # orders the list; not a probability of anything
    text_similarity: float
    occupation_similarity: float
    safety: float  # 1 − exposure (0.5 when unscored)
    reasons: list[Reason]


def rank_postings(
    conn: psycopg.Connection, person: Person, version: str, limit: int = 20, q: str | None = None
) -> list[PostingMatch]:
    candidates = conn.execute(
        CANDIDATES_SQL, {"version": version, "q": q, "limit": MAX_CANDIDATES}
    ).fetchall()
    similarities = []
    if conn.execute("SELECT to_regclass('careers.occupation_similarity') IS NOT NULL").fetchone()[0]:
        similarities = conn.execute(SIMILARITY_SQL, (version, person.soc_codes)).fetchall()
    return rank(candidates, similarities, person, shown=slice(0, limit))[:limit]


def rank(
    candidates: list[tuple], similarities: list[tuple], person: Person, shown: slice = slice(None)
) -> list[PostingMatch]:
    """All `candidates` (rows of CANDIDATES_SQL) best first; `similarities`: rows of SIMILARITY_SQL for the
    person's SOCs. Only the matches in `shown` (the page a person sees) carry their reasons: judging an ad's
    duties by meaning takes the encoder, too slow for thousands of ads a request."""
    if not candidates:
        return []
    sims: dict[tuple[str, str], float] = {(s, s): 1.0 for s in person.soc_codes}
    sims.update({(a, b): float(s) for a, b, s in similarities})
    own_lines = [*person.duties, *person.task_statements]
    own_text = "\n".join(own_lines)
    texts = [f"{c[1] or ''}\n{c[2] or ''}" for c in candidates]
    vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True)
    matrix = vectorizer.fit_transform([*texts, own_text])
    text_sim = (
        cosine_similarity(matrix[-1], matrix[:-1]).ravel() if own_text.strip() else np.zeros(len(texts))
    )
    statement_of = dict(zip(person.task_ids, person.task_statements, strict=False))
    scored = []
    for i, row in enumerate(candidates):
        soc, ai = row[4], row[5]
        occ_sim, via = max(((sims.get((s, soc), 0.0), s) for s in person.soc_codes), default=(0.0, None))
        safety = 1.0 - ai if ai is not None else 0.5
        score = WEIGHTS["text"] * text_sim[i] + WEIGHTS["occupation"] * occ_sim + WEIGHTS["safety"] * safety
        scored.append((round(float(score), 4), row, float(text_sim[i]), occ_sim, via, safety))
    scored.sort(key=lambda s: (-s[0], s[1][0]))
    explained = set(range(len(scored))[shown])
    matches = []
    for n, (score, row, text_similarity, occ_sim, via, safety) in enumerate(scored):
        pid, title, _, duties, soc, ai, org, location, url, occ_title, task_ids, confidence, low = row
        reasons = []
        if n in explained:
            shared = sorted(set(task_ids) & set(statement_of))
            reasons = _reasons(own_lines, list(duties), [(t, statement_of[t]) for t in shared], occ_sim, via, soc,
                               occ_title, ai)  # fmt: skip
        matches.append(
            PostingMatch(pid, title, org, location, url, soc, occ_title, confidence, low, ai, score,
                         round(text_similarity, 4), round(occ_sim, 4), round(safety, 4), reasons)
        )  # fmt: skip
    return matches


def _reasons(own_lines, duties, shared_tasks, occ_sim, via, soc, occ_title, ai) -> list[Reason]:
    reasons = []
    judgements = judge(duties, own_lines) if own_lines else []  # the one requirement matcher
    # The strongest match first (the ad's order among equals): a person reads the top reason.
    for judged in sorted(judgements, key=lambda j: -j.similarity):
        if judged.status != NOT_SHOWN:
            reasons.append(
                Reason(
                    "matched_requirement",
                    f"“{judged.requirement}” — like your “{judged.evidence}”",
                    {
                        "requirement": judged.requirement,
                        "yours": judged.evidence,
                        "status": judged.status,
                        "similarity": judged.similarity,
                    },
                )
            )
    for task_id, statement in shared_tasks:
        reasons.append(
            Reason(
                "matched_task",
                f"one of its duties is the O*NET task you did: “{statement}”",
                {"task_id": task_id, "task_statement": statement},
            )
        )
    link = {"soc_code": soc, "title": occ_title, "your_soc_code": via, "similarity": round(occ_sim, 4)}
    if occ_sim >= 1.0:
        reasons.append(
            Reason("occupation", f"the same occupation as your job ({soc} {occ_title or ''})".strip(), link)
        )
    elif occ_sim > 0:
        reasons.append(Reason("occupation", f"{occ_title or soc} is close to your occupation {via} "
                                            f"(similarity {occ_sim:.2f})", link))  # fmt: skip
    if ai is not None:
        reasons.append(
            Reason("exposure", f"exposure to AI {ai:.2f} on a 0–1 scale (lower is safer)", {"ai_score": ai})
        )
    return reasons
