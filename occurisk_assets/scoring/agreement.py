"""How much two raters agree on the same tasks, and what one rater's scores look like."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats
from sklearn.metrics import cohen_kappa_score

# Scores binned to the nearest quarter (0, .25, .5, .75, 1) for Cohen's kappa and the histogram; the
# published exposure labels (0, .5, 1) and automation labels (0..1 by .25) fall exactly on these bins.
N_BINS = 5


def bin_scores(scores: np.ndarray) -> np.ndarray:
    return np.rint(np.asarray(scores, dtype=float) * (N_BINS - 1)).astype(int)


def cohen_kappa(a_bins: np.ndarray, b_bins: np.ndarray) -> float | None:
    """Unweighted kappa; None when chance agreement is total (both raters constant and equal), where
    kappa is undefined."""
    if len(np.unique(np.concatenate([a_bins, b_bins]))) == 1:
        return None
    return float(cohen_kappa_score(a_bins, b_bins, labels=list(range(N_BINS))))


@dataclass(frozen=True)
class Agreement:
    n_tasks: int
    spearman: float | None
    pearson: float | None
    cohen_kappa: float | None
    mean_abs_diff: float | None

    def metrics(self) -> dict[str, float]:
        return {k: v for k, v in vars(self).items() if v is not None}


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def agreement(a: np.ndarray, b: np.ndarray) -> Agreement:
    """Agreement of two raters' scores of the same tasks (a[i] and b[i] rate task i)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = len(a)
    if n == 0:
        return Agreement(0, None, None, None, None)
    correlated = n >= 2 and np.ptp(a) > 0 and np.ptp(b) > 0  # correlation of a constant is undefined
    return Agreement(
        n_tasks=n,
        spearman=_finite(stats.spearmanr(a, b).statistic) if correlated else None,
        pearson=_finite(stats.pearsonr(a, b).statistic) if correlated else None,
        cohen_kappa=cohen_kappa(bin_scores(a), bin_scores(b)),
        mean_abs_diff=float(np.mean(np.abs(a - b))),
    )


def distribution(scores: np.ndarray) -> dict[str, float]:
    """Mean, spread, quantiles and the share of scores in each quarter bin."""
    s = np.asarray(scores, dtype=float)
    if len(s) == 0:
        return {}
    shares = np.bincount(bin_scores(s), minlength=N_BINS) / len(s)
    out = {
        "score_mean": float(s.mean()),
        "score_std": float(s.std(ddof=1)) if len(s) > 1 else 0.0,
        **{f"score_p{q}": float(np.quantile(s, q / 100)) for q in (10, 25, 50, 75, 90)},
    }
    out.update({f"score_share_bin_{i / (N_BINS - 1):.2f}": float(share) for i, share in enumerate(shares)})
    return out
