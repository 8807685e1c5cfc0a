"""How far one distribution of scores moved from another: the shift measures the release diff and the
postings drift report both use."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp

SCORE_BINS = np.linspace(0.0, 1.0, 11)  # ten bins of width 0.1 over the 0–1 score scale


class ScoreShift(BaseModel):
    n_before: int
    n_after: int
    mean_before: float
    mean_after: float
    ks_statistic: float
    ks_pvalue: float
    js_divergence: float  # bits, 0 (same histogram) to 1
    bins_before: list[int]
    bins_after: list[int]


def score_shift(before: list[float], after: list[float]) -> ScoreShift:
    ks = ks_2samp(before, after)
    bins_before = np.histogram(before, bins=SCORE_BINS)[0]
    bins_after = np.histogram(after, bins=SCORE_BINS)[0]
    js = jensenshannon(bins_before / bins_before.sum(), bins_after / bins_after.sum(), base=2) ** 2
    return ScoreShift(
        n_before=len(before),
        n_after=len(after),
        mean_before=float(np.mean(before)),
        mean_after=float(np.mean(after)),
        ks_statistic=float(ks.statistic),
        ks_pvalue=float(ks.pvalue),
        js_divergence=float(js),
        bins_before=bins_before.tolist(),
        bins_after=bins_after.tolist(),
    )
