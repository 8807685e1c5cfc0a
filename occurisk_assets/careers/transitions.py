"""The filters a reader applies to marts.occupation_transitions, in one place for the API, the asset check
and the docs. Defaults: a job-zone step of at most +1, a median wage at least 0.75 of the source's, and
only targets less exposed beyond the combined uncertainty of the two AI scores."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_JOB_ZONE_CHANGE = 1
DEFAULT_MIN_WAGE_RATIO = 0.75
DEFAULT_SAFER_ONLY = True
# Job zones run 1-5: a change of 4 is always allowed, so max_job_zone_change >= 4 turns the filter off.
LARGEST_JOB_ZONE_CHANGE = 4

# Why a scored SOC has no transition under some filters: the first that holds, in this order.
REASONS = {
    "no_candidates": "no similar occupation has an AI score",
    "no_similar_occupation_is_safer": "none of its 50 most similar occupations is less exposed beyond the "
    "uncertainty of the scores (it is already among the least exposed of its neighbours)",
    "safer_ones_need_more_preparation": "the less exposed similar occupations all need a bigger step in "
    "preparation (job zone) than allowed",
    "safer_ones_pay_less": "the less exposed similar occupations within reach all pay less than the "
    "minimum wage ratio, or their wages are unknown",
}


@dataclass(frozen=True)
class TransitionFilters:
    max_job_zone_change: int | None = DEFAULT_MAX_JOB_ZONE_CHANGE
    min_wage_ratio: float | None = DEFAULT_MIN_WAGE_RATIO
    safer_only: bool = DEFAULT_SAFER_ONLY

    def conditions(self, alias: str = "t") -> tuple[dict[str, str], dict]:
        """SQL conditions on occupation_transitions (as `alias`) by filter, and their parameters.

        - job zone: a SOC without a job zone passes only when the filter is off (None or >= 4);
        - wage: a target whose OEWS median is top-coded (above every published wage) passes when the
          source's is published; any other unknown wage passes only when the filter is off (None or 0);
        - safer_only: `is_safer` (lower by more than sqrt(std_source² + std_target²))."""
        conditions, params = {}, {}
        if self.max_job_zone_change is not None and self.max_job_zone_change < LARGEST_JOB_ZONE_CHANGE:
            conditions["job_zone"] = f"{alias}.job_zone_change <= %(max_job_zone_change)s"
            params["max_job_zone_change"] = self.max_job_zone_change
        if self.min_wage_ratio:
            conditions["wage"] = (
                f"({alias}.wage_ratio >= %(min_wage_ratio)s OR ({alias}.target_median_wage_flag = 'top_coded'"
                f" AND {alias}.source_median_wage IS NOT NULL))"
            )
            params["min_wage_ratio"] = self.min_wage_ratio
        if self.safer_only:
            conditions["safer"] = f"{alias}.is_safer"
        return conditions, params

    def where(self, alias: str = "t") -> tuple[str, dict]:
        conditions, params = self.conditions(alias)
        return " AND ".join(conditions.values()) or "true", params

    def reasons_sql(self, one_soc: bool = False) -> tuple[str, dict]:
        """(soc_code, reason) of each SOC of version %(v)s (or only %(soc)s) that has candidates but none
        passing these filters; reasons as in REASONS."""
        conditions, params = self.conditions("t")
        safer = conditions.get("safer", "true")
        within_reach = " AND ".join([safer, conditions.get("job_zone", "true")])
        everything = " AND ".join(conditions.values()) or "true"
        return (
            f"""SELECT soc_code,
                   CASE WHEN NOT bool_or({safer}) THEN 'no_similar_occupation_is_safer'
                        WHEN NOT bool_or({within_reach}) THEN 'safer_ones_need_more_preparation'
                        ELSE 'safer_ones_pay_less' END AS reason
            FROM marts.occupation_transitions t
            WHERE t.data_version = %(v)s {"AND t.soc_code = %(soc)s" if one_soc else ""}
            GROUP BY soc_code
            HAVING NOT bool_or({everything})""",
            params,
        )


DEFAULTS = TransitionFilters()
