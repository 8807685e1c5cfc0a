"""Build a data_version's occupation similarity: read the SOC descriptor marts, compute every component
(careers/similarity.py), keep each SOC's top K, and replace the version's rows in one transaction."""

from __future__ import annotations

import io
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import psycopg
from scipy import sparse

from occurisk_assets.careers import similarity as sim


@dataclass
class SimilarityReport:
    data_version: str
    top_k: int
    n_socs: int
    n_pairs: int
    components: dict  # name → {"used", "weight", "effective_weight", "n_socs"}
    related_recall: dict  # "combined" and each component alone
    seconds: float
    timings: dict = field(default_factory=dict)

    @property
    def used(self) -> list[str]:
        return [name for name, c in self.components.items() if c["used"]]


class SimilarityInputMissing(Exception):
    """The marts the similarity is computed from have no rows for the version."""


def _soc_codes(conn: psycopg.Connection, version: str) -> list[str]:
    rows = conn.execute(
        "SELECT DISTINCT soc_code FROM marts.occupation_master WHERE data_version = %s ORDER BY soc_code",
        (version,),
    ).fetchall()
    return [r[0] for r in rows]


def _rating_values(conn, version: str, index: dict[str, int]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """domain → (SOC × element importance-weighted level in [0, 1], present per SOC)."""
    rows = conn.execute(
        """SELECT domain, soc_code, element_id, importance, level FROM marts.soc_descriptor_profile
           WHERE data_version = %s AND level IS NOT NULL""",
        (version,),
    ).fetchall()
    by_domain: dict[str, list] = defaultdict(list)
    for domain, soc, element, importance, level in rows:
        if soc in index:
            by_domain[domain].append((index[soc], element, importance, level))
    out = {}
    for domain, items in by_domain.items():
        elements = {e: k for k, e in enumerate(sorted({e for _, e, _, _ in items}))}
        values = np.full((len(index), len(elements)), np.nan)
        for i, element, importance, level in items:
            if domain == "work_context":  # CX 1-5, no importance
                values[i, elements[element]] = (float(level) - 1.0) / 4.0
            elif importance is not None:  # IM 1-5 weights LV 0-7
                values[i, elements[element]] = (float(importance) - 1.0) / 4.0 * float(level) / 7.0
        present = ~np.all(np.isnan(values), axis=1)
        out[domain] = (values, present)
    return out


def _membership(conn, query: str, version: str, index: dict[str, int]) -> sparse.csr_matrix:
    rows = [(soc, item) for soc, item in conn.execute(query, (version,)).fetchall() if soc in index]
    items = {item: k for k, item in enumerate(sorted({item for _, item in rows}))}
    data = np.ones(len(rows))
    matrix = sparse.coo_matrix(
        (data, ([index[s] for s, _ in rows], [items[i] for _, i in rows])),
        shape=(len(index), max(len(items), 1)),
    )
    return matrix.tocsr()


def _task_documents(conn, version: str, index: dict[str, int]) -> list[str]:
    documents = [""] * len(index)
    rows = conn.execute(
        """SELECT soc_code, string_agg(task_statement, ' ' ORDER BY task_id) FROM marts.task_statements
           WHERE data_version = %s GROUP BY soc_code""",
        (version,),
    ).fetchall()
    for soc, text in rows:
        if soc in index:
            documents[index[soc]] = text
    return documents


def _related(
    conn, version: str, index: dict[str, int], tier: str | None = None
) -> dict[tuple[int, int], str]:
    rows = conn.execute(
        """SELECT soc_code, related_soc_code, relatedness_tier FROM marts.occupation_related
           WHERE data_version = %s""",
        (version,),
    ).fetchall()
    return {
        (index[a], index[b]): t
        for a, b, t in rows
        if a in index and b in index and (tier is None or t == tier)
    }


def compute_components(conn: psycopg.Connection, version: str, socs: list[str]) -> list[sim.Component]:
    """Every component the release has data for (a release without Abilities.txt has no abilities)."""
    index = {soc: i for i, soc in enumerate(socs)}
    components = []
    ratings = _rating_values(conn, version, index)
    for name, domain in sim.RATING_DOMAINS.items():
        if domain in ratings and ratings[domain][1].sum() >= 2:
            values, present = ratings[domain]
            components.append(sim.rating_component(name, values, present))
    sets = {
        "dwas": "SELECT soc_code, dwa_id FROM marts.soc_detailed_work_activity WHERE data_version = %s",
        "technology": "SELECT soc_code, commodity_code FROM marts.soc_technology_skill WHERE data_version = %s",
    }
    for name, query in sets.items():
        component = sim.set_component(name, _membership(conn, query, version, index))
        if component.present.sum() >= 2:
            components.append(component)
    text = sim.text_component("task_text", _task_documents(conn, version, index))
    if text.present.sum() >= 2:
        components.append(text)
    return components


def _copy_rows(conn, version, socs, combined, rank, components, related_tier, top_k) -> int:
    rows_i, rows_j = sim.kept_pairs(combined, rank, top_k)
    by_name = {c.name: c for c in components}
    buffer = io.StringIO()
    columns = [np.round(combined[rows_i, rows_j], 6), rank[rows_i, rows_j]]
    for name in sim.COMPONENTS:
        columns.append(np.round(by_name[name].matrix[rows_i, rows_j], 6) if name in by_name else None)
    for k, (i, j) in enumerate(zip(rows_i.tolist(), rows_j.tolist(), strict=True)):
        values = [version, socs[i], socs[j], repr(float(columns[0][k])), str(int(columns[1][k]))]
        for col in columns[2:]:
            values.append("\\N" if col is None or np.isnan(col[k]) else repr(float(col[k])))
        values.append(related_tier.get((i, j), "\\N"))
        buffer.write("\t".join(values) + "\n")
    names = ", ".join(sim.COMPONENTS)
    with (
        conn.cursor() as cur,
        cur.copy(
            f"""COPY careers.occupation_similarity (data_version, soc_code, similar_soc_code, similarity,
                similarity_rank, {names}, onet_related_tier) FROM STDIN"""
        ) as copy,
    ):
        copy.write(buffer.getvalue())
    return len(rows_i)


def build_similarity(
    conn: psycopg.Connection, version: str, top_k: int = sim.DEFAULT_TOP_K
) -> SimilarityReport:
    started = time.perf_counter()
    socs = _soc_codes(conn, version)
    if not socs:
        raise SimilarityInputMissing(f"marts.occupation_master has no rows for O*NET {version}")
    timings = {}
    t = time.perf_counter()
    components = compute_components(conn, version, socs)
    timings["components_seconds"] = round(time.perf_counter() - t, 3)
    if not components:
        raise SimilarityInputMissing(f"O*NET {version} has no descriptor to compare occupations by")
    t = time.perf_counter()
    combined = sim.combine(components)
    rank = sim.ranks(combined)
    timings["combine_rank_seconds"] = round(time.perf_counter() - t, 3)

    index = {soc: i for i, soc in enumerate(socs)}
    related_tier = _related(conn, version, index)
    primary_short: dict[int, set[int]] = defaultdict(set)
    for (i, j), tier in related_tier.items():
        if tier == "Primary-Short":
            primary_short[i].add(j)
    recall = {"combined": sim.related_recall(rank, primary_short)}
    for c in components:
        recall[c.name] = sim.related_recall(
            sim.ranks(np.where(np.eye(len(socs), dtype=bool), np.nan, c.matrix)), primary_short
        )

    used_weight = sum(sim.COMPONENT_WEIGHTS[c.name] for c in components)
    present = {c.name: int(c.present.sum()) for c in components}
    component_info = {
        name: {
            "used": name in present,
            "weight": weight,
            "effective_weight": round(weight / used_weight, 6) if name in present else 0.0,
            "n_socs": present.get(name, 0),
        }
        for name, weight in sim.COMPONENT_WEIGHTS.items()
    }
    n_with_rows = int((~np.all(np.isnan(combined), axis=1)).sum())
    t = time.perf_counter()
    with conn.transaction():
        conn.execute("DELETE FROM careers.occupation_similarity WHERE data_version = %s", (version,))
        n_pairs = _copy_rows(conn, version, socs, combined, rank, components, related_tier, top_k)
        seconds = time.perf_counter() - started
        conn.execute(
            """INSERT INTO careers.similarity_build
                   (data_version, top_k, n_socs, n_pairs, components, related_recall, seconds)
               VALUES (%s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (data_version) DO UPDATE SET top_k = EXCLUDED.top_k, n_socs = EXCLUDED.n_socs,
                   n_pairs = EXCLUDED.n_pairs, components = EXCLUDED.components,
                   related_recall = EXCLUDED.related_recall, seconds = EXCLUDED.seconds, built_at = now()""",
            (version, top_k, n_with_rows, n_pairs, json.dumps(component_info), json.dumps(recall), seconds),
        )
    conn.execute("ANALYZE careers.occupation_similarity")
    timings["write_seconds"] = round(time.perf_counter() - t, 3)
    return SimilarityReport(
        version, top_k, n_with_rows, n_pairs, component_info, recall, time.perf_counter() - started, timings
    )
