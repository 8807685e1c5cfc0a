"""AEI asset checks: loaded rows equal the files' data lines; the share of task rows matched to O*NET."""

from dataclasses import dataclass

import psycopg
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey, MetadataValue

from occurisk_assets.aei.loader import ReleaseLoadReport
from occurisk_assets.aei.matching import MatchReport

# Below this share of a file's task rows matched, the match fails (ERROR): a release in a new wording.
MIN_MATCHED_SHARE = 0.9


@dataclass(frozen=True)
class ReleaseRowsCheck:
    spec: AssetCheckSpec

    def evaluate(
        self, conn: psycopg.Connection, aei_release: str, report: ReleaseLoadReport
    ) -> AssetCheckResult:
        stored = dict(
            conn.execute(
                "SELECT file_name, rows FROM aei.release_file WHERE aei_release = %s", (aei_release,)
            ).fetchall()
        )
        read = {f.file_name: f.rows for f in report.files}
        return AssetCheckResult(
            check_name=self.spec.name,
            passed=stored == read,
            metadata={"rows": MetadataValue.json(read)},
        )


@dataclass(frozen=True)
class MatchRateCheck:
    spec: AssetCheckSpec

    def evaluate(self, report: MatchReport) -> AssetCheckResult:
        shares = {name: round(report.matched_share(name), 4) for name in report.files}
        return AssetCheckResult(
            check_name=self.spec.name,
            passed=all(share >= MIN_MATCHED_SHARE for share in shares.values()),
            severity=AssetCheckSeverity.ERROR,
            metadata={
                "matched_share": MetadataValue.json(shares),
                "rows_by_method": MetadataValue.json(report.files),
                "unmatched_texts": len(report.unmatched),
            },
        )


release_rows_check = ReleaseRowsCheck(
    AssetCheckSpec(
        "rows_match_files",
        asset=AssetKey(["aei", "release"]),
        description="Loaded rows equal each file's data rows",
    )
)
match_rate_check = MatchRateCheck(
    AssetCheckSpec(
        "match_rate",
        asset=AssetKey(["aei", "task_match"]),
        description=f"At least {MIN_MATCHED_SHARE:.0%} of each file's task rows matched to an O*NET task",
    )
)
