"""How occurisk's modelled exposure relates to observed use (one AEI release × one data_version):
Spearman of the occupation score with observed exposure, overall and by SOC major group; the share of
occupations with high modelled (top quartile of the score) and zero observed use; and Massenkoff &
McCrory's (2026) relation between coverage (observed exposure, points) and BLS projected employment growth
(+10 points ↔ −0.6 point of growth), re-estimated here by OLS (unweighted) with its 95 % interval."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import psycopg
from scipy import stats

from occurisk_assets.lib import schema

PUBLISHED_SLOPE_PER_10_POINTS = -0.6
MIN_GROUP_SIZE = 10  # a major group's Spearman only with at least this many occupations


@dataclass
class ValidationReport:
    aei_release: str
    data_version: str
    n_occupations: int
    spearman: float
    spearman_p: float
    spearman_by_major_group: dict[str, dict] = field(default_factory=dict)
    high_modelled_zero_observed_share: float = 0.0
    growth_n: int = 0
    growth_slope_per_10_points: float = float("nan")
    growth_slope_ci95: tuple[float, float] = (float("nan"), float("nan"))
    verdict: str = ""

    def metrics(self) -> dict[str, float]:
        return {
            "n_occupations": self.n_occupations,
            "spearman": self.spearman,
            "spearman_p": self.spearman_p,
            "high_modelled_zero_observed_share": self.high_modelled_zero_observed_share,
            "growth_n": self.growth_n,
            "growth_slope_per_10_points": self.growth_slope_per_10_points,
            "growth_slope_ci95_low": self.growth_slope_ci95[0],
            "growth_slope_ci95_high": self.growth_slope_ci95[1],
            **{f"spearman/major_group_{g}": v["spearman"] for g, v in self.spearman_by_major_group.items()},
        }


def verdict(slope: float, low: float, high: float) -> str:
    published = PUBLISHED_SLOPE_PER_10_POINTS
    if high < 0 and low <= published <= high:
        return f"replicated: {slope:+.2f} points of growth per +10 points of coverage (95% CI {low:+.2f} to {high:+.2f}) includes the published {published}"
    if high < 0:
        return f"same direction, different size: {slope:+.2f} (95% CI {low:+.2f} to {high:+.2f}) excludes the published {published}"
    return f"not replicated: {slope:+.2f} (95% CI {low:+.2f} to {high:+.2f}) does not exclude zero or is positive"


def rows(conn: psycopg.Connection, aei_release: str, data_version: str) -> list[tuple]:
    return conn.execute(
        """SELECT s.soc_code, s.major_group, s.ai_mean, o.observed_exposure, b.growth_pct
           FROM marts.occupation_summary s
           JOIN marts.occupation_observed_use o
             ON o.data_version = s.data_version AND o.soc_code = s.soc_code AND o.aei_release = %s
           LEFT JOIN marts.soc_bls_metrics b ON b.data_version = s.data_version AND b.soc_code = s.soc_code
           WHERE s.data_version = %s AND s.ai_mean IS NOT NULL AND o.observed_exposure IS NOT NULL
           ORDER BY s.soc_code""",
        (aei_release, data_version),
    ).fetchall()


def validate(conn: psycopg.Connection, aei_release: str, data_version: str) -> ValidationReport | None:
    """None when the release publishes no observed exposure for any scored occupation of the version (or
    nothing is scored yet: no occupation_summary)."""
    if not schema.table_exists(conn, "marts.occupation_summary"):
        return None
    found = rows(conn, aei_release, data_version)
    if len(found) < 3:
        return None
    groups = np.array([r[1] for r in found])
    modelled = np.array([float(r[2]) for r in found])
    observed = np.array([float(r[3]) for r in found])
    rho, p = stats.spearmanr(modelled, observed)
    report = ValidationReport(aei_release, data_version, len(found), float(rho), float(p))
    for group in sorted(set(groups)):
        inside = groups == group
        if inside.sum() >= MIN_GROUP_SIZE and len(set(observed[inside])) > 1:
            g_rho, _ = stats.spearmanr(modelled[inside], observed[inside])
            report.spearman_by_major_group[group] = {"n": int(inside.sum()), "spearman": float(g_rho)}
    high = modelled >= np.quantile(modelled, 0.75)
    report.high_modelled_zero_observed_share = float(np.mean(high & (observed == 0)))
    with_growth = [(float(r[3]) * 100, float(r[4])) for r in found if r[4] is not None]
    report.growth_n = len(with_growth)
    if len(with_growth) >= 3:
        coverage, growth = np.array(with_growth).T
        fit = stats.linregress(coverage, growth)
        t = stats.t.ppf(0.975, len(with_growth) - 2)
        slope, half = 10 * fit.slope, 10 * t * fit.stderr
        report.growth_slope_per_10_points = float(slope)
        report.growth_slope_ci95 = (float(slope - half), float(slope + half))
        report.verdict = verdict(slope, slope - half, slope + half)
    return report
