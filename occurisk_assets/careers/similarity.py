"""Occupation similarity from O*NET descriptors, vectorised: one SOC × SOC matrix per component, combined
into one weighted mean, never a Python loop over pairs.

Components (each in [0, 1], symmetric, computed only between SOCs that both have the descriptor):
- rating profiles (skills, knowledge, abilities, work activities, work context): each SOC's vector of
  importance-weighted levels, centred on the mean occupation, compared by cosine and mapped to [0, 1] by
  (1 + cos) / 2 — centring makes the comparison about what sets an occupation apart, not about the
  skills every occupation needs a little of;
- sets (detailed work activities, kinds of software): binary vectors weighted by inverse document
  frequency (a DWA few occupations share says more than 'Spreadsheet software'), cosine;
- task text: TF-IDF of the SOC's task statements, cosine.
The combined similarity of a pair is Σ w_c s_c / Σ w_c over the components both SOCs have, so the weights
actually used for a pair always sum to 1. O*NET's Related Occupations are never an input: they are the
yardstick (`related_recall`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

# Prior weights, renormalised over the components a pair has (docs/methodology.md explains the choice).
COMPONENT_WEIGHTS: dict[str, float] = {
    "skills": 0.20,
    "knowledge": 0.15,
    "abilities": 0.10,
    "work_activities": 0.15,
    "work_context": 0.05,
    "dwas": 0.20,
    "technology": 0.05,
    "task_text": 0.10,
}
# soc_descriptor_profile.domain of each rating component.
RATING_DOMAINS: dict[str, str] = {
    "skills": "skill",
    "knowledge": "knowledge",
    "abilities": "ability",
    "work_activities": "work_activity",
    "work_context": "work_context",
}
SET_COMPONENTS = ("dwas", "technology")
COMPONENTS = tuple(COMPONENT_WEIGHTS)
DEFAULT_TOP_K = 50
RECALL_AT = 20


@dataclass
class Component:
    """One component's SOC × SOC similarity (NaN where a SOC lacks the descriptor) and which SOCs have it."""

    name: str
    matrix: np.ndarray
    present: np.ndarray  # bool per SOC


def _cosine_of_rows(x: np.ndarray | sparse.spmatrix) -> np.ndarray:
    """Cosine similarity of every pair of rows; rows of zeros compare as 0."""
    if sparse.issparse(x):
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        scaled = sparse.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ x
        product = (scaled @ scaled.T).toarray()
    else:
        norms = np.linalg.norm(x, axis=1)
        scaled = x * np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)[:, None]
        product = scaled @ scaled.T
    return np.clip(product, -1.0, 1.0)


def _masked(similarity: np.ndarray, present: np.ndarray) -> np.ndarray:
    out = similarity.copy()
    out[~present, :] = np.nan
    out[:, ~present] = np.nan
    return out


def rating_component(name: str, values: np.ndarray, present: np.ndarray) -> Component:
    """`values`: SOC × element importance-weighted levels in [0, 1] (NaN = not rated for that SOC).
    Missing elements of a SOC that has the file are filled with the element's mean (no information)."""
    rated = values[present]
    means = np.nanmean(rated, axis=0) if len(rated) else np.zeros(values.shape[1])
    filled = np.where(np.isnan(values), means, values)
    centred = filled - means
    similarity = (1.0 + _cosine_of_rows(centred)) / 2.0
    return Component(name, _masked(similarity, present), present)


def set_component(name: str, membership: sparse.csr_matrix) -> Component:
    """`membership`: SOC × item 0/1. Items are weighted by idf = ln(n / df) + 1 (smooth, like TF-IDF)."""
    n = membership.shape[0]
    present = np.asarray(membership.sum(axis=1)).ravel() > 0
    df = np.asarray((membership > 0).sum(axis=0)).ravel()
    idf = np.log((1 + n) / (1 + df)) + 1.0
    weighted = membership @ sparse.diags(idf)
    return Component(name, _masked(_cosine_of_rows(weighted), present), present)


def text_component(name: str, documents: Sequence[str]) -> Component:
    """TF-IDF (English stop words, sublinear term frequency, words in at least 2 SOCs) of each SOC's tasks."""
    present = np.array([bool(d.strip()) for d in documents])
    if present.sum() < 2:
        return Component(name, np.full((len(documents), len(documents)), np.nan), present)
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2, ngram_range=(1, 2))
    tfidf = vectorizer.fit_transform(list(documents))
    return Component(name, _masked(_cosine_of_rows(tfidf), present), present)


def combine(components: Sequence[Component], weights: Mapping[str, float] = COMPONENT_WEIGHTS) -> np.ndarray:
    """Σ w_c s_c / Σ w_c over the components both SOCs have; NaN where they share none. Exactly symmetric,
    diagonal NaN (a SOC is never its own neighbour)."""
    n = components[0].matrix.shape[0]
    total = np.zeros((n, n))
    weight_sum = np.zeros((n, n))
    for c in components:
        has = ~np.isnan(c.matrix)
        total += np.where(has, c.matrix, 0.0) * weights[c.name]
        weight_sum += has * weights[c.name]
    with np.errstate(invalid="ignore", divide="ignore"):
        combined = np.where(weight_sum > 0, total / weight_sum, np.nan)
    combined = (combined + combined.T) / 2.0  # float addition commutes: exactly symmetric
    np.fill_diagonal(combined, np.nan)
    return np.clip(combined, 0.0, 1.0)


def ranks(similarity: np.ndarray) -> np.ndarray:
    """rank[i, j] = 1 + how many SOCs are more similar to i than j (ties broken by column order); NaN
    cells rank last."""
    filled = np.where(np.isnan(similarity), -np.inf, similarity)
    order = np.argsort(-filled, axis=1, kind="stable")
    out = np.empty_like(order)
    rows = np.arange(similarity.shape[0])[:, None]
    out[rows, order] = np.arange(1, similarity.shape[1] + 1)[None, :]
    return out


def kept_pairs(similarity: np.ndarray, rank: np.ndarray, top_k: int) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) of every pair where j is among i's top K or i among j's — the symmetric closure, so that each
    stored pair has its reverse stored too."""
    defined = ~np.isnan(similarity)
    reverse_rank = rank.T
    keep = defined & ((rank <= top_k) | (reverse_rank <= top_k))
    return np.nonzero(keep)


def related_recall(rank: np.ndarray, related: Mapping[int, set[int]], at: int = RECALL_AT) -> dict:
    """Of O*NET's related SOCs (by SOC index), the share found among each SOC's `at` most similar:
    micro (all pairs pooled) and macro (mean over SOCs), over SOCs that have related SOCs."""
    hits = total = 0
    per_soc = []
    for i, targets in related.items():
        if not targets:
            continue
        found = sum(1 for j in targets if rank[i, j] <= at)
        hits += found
        total += len(targets)
        per_soc.append(found / len(targets))
    return {
        "at": at,
        "n_socs": len(per_soc),
        "n_related_pairs": total,
        "n_found": hits,
        "micro": hits / total if total else None,
        "macro": float(np.mean(per_soc)) if per_soc else None,
    }
