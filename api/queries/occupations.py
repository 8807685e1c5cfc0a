"""The occupations' SQL (search, list, detail, ranking, titles): reads of the dbt marts (marts.*, the serving models of
dbt_project/models/serving among them), the BLS view marts.soc_bls_metrics and the scoring tables (core.*),
each filtered by data_version first and served by an index."""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from typing import Literal

from psycopg import AsyncConnection

from occurisk_assets.text.korean_terms import KoreanIndex, has_hangul

# What ?sort= accepts; a search without ?sort= is ordered by relevance.
SortKey = Literal["ai", "observed", "employment", "wage", "growth", "title"]
Order = Literal["asc", "desc"]

# Searches use at most this many words of the query (a longer query only costs time, not relevance).
MAX_SEARCH_WORDS = 8

# The query is normalised like occupation_search_terms.term_norm (plus the short forms written in full).
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


# Short forms people write in job titles, said in full before searching: O*NET lists "Customer Service Rep"
# only under Sales Representatives of Services, so "customer service rep" as typed would miss Customer
# Service Representatives. Only words that mean nothing else in a job title.
TITLE_ABBREVIATIONS = {
    "rep": "representative",
    "reps": "representatives",
    "mgr": "manager",
    "asst": "assistant",
    "supvr": "supervisor",
    "coord": "coordinator",
}


def normalise_search(text: str) -> str:
    """'Nürse-Practitioner!' → 'nurse practitioner': accents dropped, anything else than a-z 0-9 a space;
    the short forms of TITLE_ABBREVIATIONS written in full. A Korean query keeps its letters (NFKC, lower
    case, punctuation a space): it is searched among the project's Korean terms (KOREAN_MATCHES)."""
    if has_hangul(text):
        return " ".join(
            re.sub(r"[^\w]+", " ", unicodedata.normalize("NFKC", text).lower()).split()[:MAX_SEARCH_WORDS]
        )
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = _NON_ALNUM.sub(" ", ascii_text.lower()).split()[:MAX_SEARCH_WORDS]
    return " ".join(TITLE_ABBREVIATIONS.get(word, word) for word in words)


# Occupations matching %(q)s (normalised): one row per SOC with its best term.
#  1. Each query word that is in the version's vocabulary stands for itself; an unknown word (a typo, most
#     likely) for its three nearest vocabulary words by trigram similarity. Words under 4 letters are
#     never corrected (too few trigrams: "RN", "CNA" must match exactly).
#  2. Candidate terms contain every query word (or a correction of it), by full-text search; if none does,
#     those containing the most query words.
#  3. A term matching the query as typed scores 0.6 + 0.4 x (query lexemes / term lexemes), +0.2 when it
#     has no other lexeme ("Cashiers" for "cashier"); a term reached through a correction scores its
#     trigram similarity to the query. Titles get +0.05.
#  4. An occupation's relevance: its best term score + 0.05 ln(1 + matching terms) + 0.01 log10(employment)
#     (in the outer query, which reads employment), so that among equally good matches the occupation with
#     many such titles and more workers comes first ("nurse" → Registered Nurses).
SEARCH_CTES = """
q AS (
    SELECT %(q)s::text AS q_norm, plainto_tsquery('english', %(q)s) AS tsq,
           length(to_tsvector('english', %(q)s)) AS q_lexemes
),
q_words AS (
    SELECT DISTINCT w FROM unnest(string_to_array(%(q)s, ' ')) AS w WHERE w <> ''
),
alternatives AS (
    SELECT q_words.w, coalesce(known.word, near.word) AS alt
    FROM q_words
    LEFT JOIN marts.occupation_search_words known ON known.data_version = %(v)s AND known.word = q_words.w
    LEFT JOIN LATERAL (
        SELECT v.word FROM marts.occupation_search_words v
        WHERE known.word IS NULL AND length(q_words.w) >= 4 AND v.data_version = %(v)s AND v.word %% q_words.w
        ORDER BY similarity(v.word, q_words.w) DESC, v.word
        LIMIT 3
    ) near ON true
    WHERE coalesce(known.word, near.word) IS NOT NULL
),
word_queries AS (
    SELECT w, to_tsquery('english', string_agg(alt, ' | ')) AS tsq FROM alternatives GROUP BY w
),
expanded AS (
    SELECT to_tsquery('english', all_words) AS tsq_all,
           to_tsquery('english', replace(all_words, ' & ', ' | ')) AS tsq_any
    FROM (SELECT string_agg('(' || alts || ')', ' & ') AS all_words
          FROM (SELECT string_agg(alt, ' | ') AS alts FROM alternatives GROUP BY w) per_word) query_text
),
strict_matches AS (
    SELECT t.soc_code, t.term, t.term_kind, t.term_norm, t.term_tsv, t.n_lexemes
    FROM marts.occupation_search_terms t, expanded e
    WHERE t.data_version = %(v)s AND t.term_tsv @@ e.tsq_all
),
loose_matches AS (
    SELECT t.soc_code, t.term, t.term_kind, t.term_norm, t.term_tsv, t.n_lexemes,
           (SELECT count(*) FROM word_queries wq WHERE t.term_tsv @@ wq.tsq) AS n_words
    FROM marts.occupation_search_terms t, expanded e
    WHERE NOT EXISTS (SELECT 1 FROM strict_matches) AND t.data_version = %(v)s AND t.term_tsv @@ e.tsq_any
),
candidates AS (
    SELECT * FROM strict_matches
    UNION ALL
    SELECT soc_code, term, term_kind, term_norm, term_tsv, n_lexemes
    FROM (SELECT *, max(n_words) OVER () AS most_words FROM loose_matches) best_covered
    WHERE n_words = most_words
),
scored_terms AS (
    SELECT c.soc_code, c.term, c.term_kind,
           CASE WHEN c.term_tsv @@ q.tsq AND q.q_lexemes > 0
                THEN 0.6 + 0.4 * q.q_lexemes::float8 / greatest(c.n_lexemes, q.q_lexemes)
                     + CASE WHEN c.n_lexemes = q.q_lexemes THEN 0.2 ELSE 0 END
                ELSE similarity(c.term_norm, q.q_norm)
           END + CASE WHEN c.term_kind = 'title' THEN 0.05 ELSE 0 END AS term_score
    FROM candidates c, q
),
matched AS (
    SELECT soc_code, max(term_score) AS best_score, count(*) AS n_terms,
           (array_agg(term ORDER BY term_score DESC, length(term), term))[1] AS match_term,
           (array_agg(term_kind ORDER BY term_score DESC, length(term), term))[1] AS match_kind
    FROM scored_terms
    GROUP BY soc_code
)"""

# A Korean query's matches (KoreanIndex, in memory) given as arrays, in the shape of SEARCH_CTES' `matched`.
KOREAN_MATCHES = """
matched AS (
    SELECT * FROM unnest(%(k_soc)s::text[], %(k_score)s::float8[], %(k_n)s::int[], %(k_term)s::text[],
                         %(k_kind)s::text[]) AS m(soc_code, best_score, n_terms, match_term, match_kind)
)"""
KOREAN_INDEX_TTL_S = 60.0  # a reloaded translation is searched within a minute
_korean_lock = threading.Lock()
_korean_indexes: dict[str, tuple[float, KoreanIndex]] = {}


async def korean_index(conn: AsyncConnection, version: str) -> KoreanIndex:
    """The version's Korean terms (core.occupation_korean_term), read at most once a minute."""
    now = time.monotonic()
    cached = _korean_indexes.get(version)
    if cached and cached[0] > now:
        return cached[1]
    cur = await conn.execute(
        "SELECT soc_code, term, term_kind FROM core.occupation_korean_term WHERE data_version = %s "
        "ORDER BY soc_code, term",
        [version],
    )
    index = KoreanIndex([(r["soc_code"], r["term"], r["term_kind"]) for r in await cur.fetchall()])
    with _korean_lock:
        _korean_indexes[version] = (now + KOREAN_INDEX_TTL_S, index)
    return index


async def _korean_params(conn: AsyncConnection, version: str, search: str) -> dict:
    found = (await korean_index(conn, version)).search(search)
    return {
        "k_soc": [m.soc_code for m in found],
        "k_score": [m.score for m in found],
        "k_n": [m.n_terms for m in found],
        "k_term": [m.term for m in found],
        "k_kind": [f"korean_{m.kind}" for m in found],
    }


RELEVANCE = "(m.best_score + 0.05 * ln(1 + m.n_terms) + 0.01 * log(greatest(coalesce(b.employment, 1), 1)))"

SORT_EXPRESSIONS: dict[str, str] = {
    "relevance": RELEVANCE,
    "ai": "s.ai_mean",
    "observed": "obs.observed_exposure",
    "employment": "b.employment",
    # A top-coded wage (null, flagged) is above every published one.
    "wage": "coalesce(b.median_annual_wage::numeric, "
    "CASE WHEN b.median_annual_wage_flag = 'top_coded' THEN 'Infinity'::numeric END)",
    "growth": "b.growth_pct",
    "title": "s.title",
}

# Sorts on columns of occupation_summary itself (indexed there), which need no BLS figure to order a page.
SUMMARY_SORTS = ("ai", "title")

LIST_COLUMNS = """
    s.soc_code, s.title, s.ai_mean, s.ai_std, s.ai_coverage, s.ai_n_tasks_scored,
    b.employment, b.median_annual_wage, b.median_annual_wage_flag, b.growth_pct, b.oews_match_type,
    obs.observed_exposure"""

# BLS figures are read live (a reload shows at once); (data_version, soc_code) is the view's key.
JOIN_BLS = "LEFT JOIN marts.soc_bls_metrics b ON b.data_version = s.data_version AND b.soc_code = s.soc_code"
# Observed use of AI (Anthropic Economic Index), read live like BLS: the latest release that publishes an
# observed_exposure of the occupation, else the latest that observes any of its tasks. No row: not observed.
OBSERVED_USE = """
    SELECT o.aei_release, o.published_on, o.observed_exposure, o.penetration, o.penetration_coverage,
           o.n_tasks_observed, o.automation_share, o.augmentation_share
    FROM marts.occupation_observed_use o
    WHERE o.data_version = s.data_version AND o.soc_code = s.soc_code
    ORDER BY o.observed_exposure IS NULL, o.published_on DESC, o.aei_release
    LIMIT 1"""
# For lists: the view read once for the version (a LATERAL per row re-evaluates the view for every occupation,
# past the statement timeout when a whole list is sorted by it); same choice of release as OBSERVED_USE.
JOIN_OBSERVED = """LEFT JOIN (
    SELECT DISTINCT ON (o.soc_code) o.soc_code, o.observed_exposure
    FROM marts.occupation_observed_use o
    WHERE o.data_version = %(v)s
    ORDER BY o.soc_code, o.observed_exposure IS NULL, o.published_on DESC, o.aei_release
) obs ON obs.soc_code = s.soc_code"""


@dataclass
class Page:
    rows: list[dict]
    total: int


def _order_by(sort: str, order: Order) -> str:
    # Whitelisted expressions only; soc_code last makes the order total, so pages never overlap.
    direction = "ASC" if order == "asc" else "DESC"
    return f"{SORT_EXPRESSIONS[sort]} {direction} NULLS LAST, s.soc_code"


async def list_occupations(
    conn: AsyncConnection, version: str, search: str | None, sort: str, order: Order, limit: int, offset: int
) -> Page:
    params = {"v": version, "q": search, "limit": limit, "offset": offset}
    page_sql = f"""
        SELECT {LIST_COLUMNS}{{match_columns}}
        FROM marts.occupation_summary s {{join_matches}} {JOIN_BLS} {JOIN_OBSERVED}
        WHERE s.data_version = %(v)s
        ORDER BY {_order_by(sort, order)}
        LIMIT %(limit)s OFFSET %(offset)s"""
    if search is None:
        cur = await conn.execute(
            "SELECT count(*) AS total FROM marts.occupation_summary WHERE data_version = %(v)s", params
        )
        total = (await cur.fetchone())["total"]
        if sort in SUMMARY_SORTS:
            # The page is read in index order from the summary alone; BLS is joined for its rows only.
            cur = await conn.execute(
                f"""
                WITH page AS (
                    SELECT * FROM marts.occupation_summary s WHERE s.data_version = %(v)s
                    ORDER BY {_order_by(sort, order)} LIMIT %(limit)s OFFSET %(offset)s)
                SELECT {LIST_COLUMNS} FROM page s {JOIN_BLS} {JOIN_OBSERVED}
                ORDER BY {_order_by(sort, order)}""",
                params,
            )
        else:
            cur = await conn.execute(page_sql.format(match_columns="", join_matches=""), params)
        return Page(await cur.fetchall(), total)
    matches = SEARCH_CTES
    if has_hangul(search):
        matches = KOREAN_MATCHES
        params |= await _korean_params(conn, version, search)
    # The search runs once: its count rides along with the page.
    cur = await conn.execute(
        f"WITH {matches}\n"
        + page_sql.format(
            match_columns=f", m.match_term, m.match_kind, {RELEVANCE} AS relevance, "
            "count(*) OVER () AS total",
            join_matches="JOIN matched m ON m.soc_code = s.soc_code",
        ),
        params,
    )
    rows = await cur.fetchall()
    if rows or offset == 0:
        return Page(rows, rows[0]["total"] if rows else 0)
    # A page past the end has no row to carry the total.
    cur = await conn.execute(f"WITH {matches} SELECT count(*) AS total FROM matched", params)
    return Page([], (await cur.fetchone())["total"])


async def occupation(conn: AsyncConnection, version: str, soc_code: str, n_tasks: int) -> dict | None:
    """One occupation in one statement: the summary and BLS row, and as JSON arrays its per-model scores,
    O*NET-SOC occupations, heaviest tasks (each with its ensemble and every model's current score) and
    related occupations."""
    cur = await conn.execute(
        # b first: where no BLS row matches, its NULL keys must not hide the summary's.
        f"""SELECT b.*, s.*,
            (SELECT row_to_json(obs) FROM ({OBSERVED_USE}) obs) AS observed_use,
            (SELECT coalesce(json_agg(json_build_object(
                        'model', m.model, 'score', m.score, 'coverage', m.coverage,
                        'n_tasks_scored', m.n_tasks_scored, 'updated_at', m.updated_at) ORDER BY m.model), '[]')
             FROM marts.occupation_ai_score_by_model m
             WHERE m.data_version = s.data_version AND m.soc_code = s.soc_code) AS model_scores,
            (SELECT json_agg(json_build_object(
                        'onetsoc_code', o.onetsoc_code, 'title', o.title, 'job_zone', o.job_zone,
                        'n_tasks', o.n_tasks) ORDER BY o.onetsoc_code)
             FROM marts.occupation_master o
             WHERE o.data_version = s.data_version AND o.soc_code = s.soc_code) AS onet_occupations,
            (SELECT coalesce(json_agg(t ORDER BY t.weight DESC, t.task_id), '[]') FROM (
                SELECT w.task_id, w.onetsoc_code, w.weight, w.weight_method, ts.task_statement AS statement,
                       ts.task_type,
                       CASE WHEN e.task_id IS NOT NULL THEN json_build_object(
                           'mean', e.mean, 'std', e.std, 'min', e.min, 'max', e.max, 'n_models', e.n_models)
                       END AS ensemble,
                       (SELECT t.penetration FROM marts.task_observed_use t
                        WHERE t.data_version = w.data_version AND t.task_id = w.task_id
                              AND t.penetration IS NOT NULL
                        ORDER BY t.published_on DESC, t.aei_release LIMIT 1) AS observed_penetration,
                       (SELECT coalesce(json_agg(json_build_object(
                                   'model', ms.model, 'score', ms.score, 'rationale', ms.rationale,
                                   'run_id', ms.run_id, 'model_version', ms.model_version,
                                   'prompt_version', ms.prompt_version, 'scored_at', ms.scored_at)
                               ORDER BY ms.model), '[]')
                        FROM marts.task_model_score ms
                        WHERE ms.data_version = w.data_version AND ms.task_id = w.task_id) AS model_scores
                FROM marts.occupation_task_weight w
                JOIN marts.task_statements ts ON ts.data_version = w.data_version AND ts.task_id = w.task_id
                LEFT JOIN marts.task_ai_ensemble e ON e.data_version = w.data_version AND e.task_id = w.task_id
                WHERE w.data_version = s.data_version AND w.soc_code = s.soc_code
                ORDER BY w.weight DESC, w.task_id
                LIMIT %(n_tasks)s) t) AS top_tasks,
            (SELECT coalesce(json_agg(json_build_object(
                        'soc_code', r.related_soc_code, 'title', rs.title,
                        'relatedness_tier', r.relatedness_tier, 'ai_score_mean', rs.ai_mean)
                    ORDER BY r.relatedness_rank), '[]')
             FROM marts.occupation_related r
             JOIN marts.occupation_summary rs
                 ON rs.data_version = r.data_version AND rs.soc_code = r.related_soc_code
             WHERE r.data_version = s.data_version AND r.soc_code = s.soc_code) AS related_occupations
        FROM marts.occupation_summary s {JOIN_BLS}
        WHERE s.data_version = %(v)s AND s.soc_code = %(soc)s""",
        {"v": version, "soc": soc_code, "n_tasks": n_tasks},
    )
    return await cur.fetchone()


async def ranking(
    conn: AsyncConnection,
    version: str,
    order: Order,
    limit: int,
    major_group: str | None,
    job_zone: int | None,
    min_employment: int | None,
) -> Page:
    filters = ["s.data_version = %(v)s", "s.ai_rank IS NOT NULL"]
    if major_group is not None:
        filters.append("s.major_group = %(major_group)s")
    if job_zone is not None:
        filters.append("s.job_zone = %(job_zone)s")
    if min_employment is not None:
        filters.append("b.employment >= %(min_employment)s")
    params = {
        "v": version,
        "limit": limit,
        "major_group": major_group,
        "job_zone": job_zone,
        "min_employment": min_employment,
    }
    direction = "ASC" if order == "asc" else "DESC"
    from_where = f"FROM marts.occupation_summary s {JOIN_BLS} {JOIN_OBSERVED} WHERE {' AND '.join(filters)}"
    cur = await conn.execute(
        f"""SELECT {LIST_COLUMNS}, s.major_group, s.job_zone, s.ai_rank, s.ai_percentile, count(*) OVER () AS total
        {from_where}
        ORDER BY s.ai_mean {direction} NULLS LAST, s.soc_code
        LIMIT %(limit)s""",
        params,
    )
    rows = await cur.fetchall()
    return Page(rows, rows[0]["total"] if rows else 0)


# More than any SOC code has: the occupation page shows every task.
ALL_TASKS = 10_000


async def suggestions(conn: AsyncConnection, version: str, query_norm: str, limit: int = 3) -> list[str]:
    """Titles nearest to a search that matched nothing ("did you mean"), by trigram similarity."""
    cur = await conn.execute(
        """SELECT term FROM (
               SELECT DISTINCT ON (term_norm) term, similarity(term_norm, %(q)s) AS closeness
               FROM marts.occupation_search_terms
               WHERE data_version = %(v)s AND term_norm %% %(q)s
               ORDER BY term_norm, closeness DESC) near
           ORDER BY closeness DESC, term LIMIT %(limit)s""",
        {"v": version, "q": query_norm, "limit": limit},
    )
    return [row["term"] for row in await cur.fetchall()]


async def title_of(conn: AsyncConnection, version: str, soc_code: str) -> str | None:
    cur = await conn.execute(
        "SELECT title FROM marts.occupation_summary WHERE data_version = %s AND soc_code = %s",
        (version, soc_code),
    )
    row = await cur.fetchone()
    return row["title"] if row else None


async def top_skills(conn, version: str, soc_code: str, limit: int) -> list[str]:
    """An occupation's most important O*NET skills (mean importance over its O*NET-SOC codes), best first."""
    cur = await conn.execute(
        "SELECT element_name FROM marts.soc_descriptor_profile WHERE data_version = %s AND soc_code = %s "
        "AND domain = 'skill' AND importance IS NOT NULL ORDER BY importance DESC, element_name LIMIT %s",
        [version, soc_code, limit],
    )
    return [r[0] for r in await cur.fetchall()]
