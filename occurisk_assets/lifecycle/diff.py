"""The version diff report: what changed from a baseline O*NET version to a new one, and what it did to
the AI scores. Computed from PostgreSQL, stored in core.version_diff (key columns + the full report as
JSONB + Markdown), shown in the Dagster UI and served at GET /api/v1/versions/{v}/diff."""

from __future__ import annotations

import psycopg
from psycopg.types.json import Jsonb
from pydantic import BaseModel, computed_field

from occurisk_assets.lib.schema import table_exists
from occurisk_assets.lib.statistics import ScoreShift, score_shift
from occurisk_assets.runs import build_lock
from occurisk_assets.versions import (
    complete_versions,
    mark_complete,
    nearest_newer,
    nearest_older,
    rebuilt_version,
)

RANK_MOVERS = 10
MARKDOWN_LIST_LIMIT = 30


class RowCountChange(BaseModel):
    table: str
    before: int | None  # None: the file was absent from that release
    after: int | None

    @computed_field
    @property
    def change(self) -> int | None:
        return None if self.before is None or self.after is None else self.after - self.before


class TaskChange(BaseModel):
    task_id: int
    onetsoc_code: str
    task: str
    before: str | None = None  # the changed field's old and new values (text, date or O*NET-SOC code)
    after: str | None = None


class OccupationChange(BaseModel):
    onetsoc_code: str
    title: str
    before: str | None = None
    after: str | None = None


class RankMove(BaseModel):
    soc_code: str
    title: str | None
    rank_before: int
    rank_after: int
    score_before: float
    score_after: float


class ProviderCalls(BaseModel):
    model: str
    runs: int
    calls: int
    cache_hits: int
    cost_usd: float


class VersionDiff(BaseModel):
    data_version: str
    baseline_version: str | None
    row_counts: list[RowCountChange] = []
    tasks_added: list[TaskChange] = []
    tasks_removed: list[TaskChange] = []
    tasks_reworded: list[TaskChange] = []
    tasks_redated: list[TaskChange] = []
    tasks_moved: list[TaskChange] = []
    occupations_added: list[OccupationChange] = []
    occupations_removed: list[OccupationChange] = []
    occupations_retitled: list[OccupationChange] = []
    task_scores: ScoreShift | None = None
    occupation_scores: ScoreShift | None = None
    rank_movers: list[RankMove] = []
    provider_calls: list[ProviderCalls] | None = None
    notes: list[str] = []

    @property
    def total_provider_calls(self) -> int | None:
        return None if self.provider_calls is None else sum(p.calls for p in self.provider_calls)

    @property
    def total_cache_hits(self) -> int | None:
        return None if self.provider_calls is None else sum(p.cache_hits for p in self.provider_calls)


def baseline_version(conn: psycopg.Connection, data_version: str) -> str | None:
    """The nearest older complete version: the same whatever order the releases were loaded in (for a
    rebuild key, that of the version rebuilt)."""
    return nearest_older(complete_versions(conn), rebuilt_version(data_version) or data_version)


def _row_counts(conn: psycopg.Connection, old: str, new: str) -> list[RowCountChange]:
    rows = conn.execute(
        """SELECT coalesce(a.table_name, b.table_name), CASE WHEN a.present THEN a.rows END,
                  CASE WHEN b.present THEN b.rows END
           FROM (SELECT * FROM core.release_files WHERE data_version = %s) a
           FULL JOIN (SELECT * FROM core.release_files WHERE data_version = %s) b USING (table_name)
           ORDER BY 1""",
        (old, new),
    ).fetchall()
    return [RowCountChange(table=t, before=b, after=a) for t, b, a in rows]


def _task_changes(conn: psycopg.Connection, old: str, new: str, diff: VersionDiff) -> None:
    rows = conn.execute(
        """WITH a AS (SELECT task_id, onetsoc_code, task, date FROM onet_raw.task_statements WHERE data_version = %s),
                b AS (SELECT task_id, onetsoc_code, task, date FROM onet_raw.task_statements WHERE data_version = %s)
           SELECT task_id, a.onetsoc_code, b.onetsoc_code, a.task, b.task, a.date, b.date
           FROM a FULL JOIN b USING (task_id)
           WHERE a.task_id IS NULL OR b.task_id IS NULL OR a.task IS DISTINCT FROM b.task
              OR a.date IS DISTINCT FROM b.date OR a.onetsoc_code IS DISTINCT FROM b.onetsoc_code
           ORDER BY task_id""",
        (old, new),
    ).fetchall()
    for task_id, soc_a, soc_b, task_a, task_b, date_a, date_b in rows:
        if soc_a is None:
            diff.tasks_added.append(TaskChange(task_id=task_id, onetsoc_code=soc_b, task=task_b))
            continue
        if soc_b is None:
            diff.tasks_removed.append(TaskChange(task_id=task_id, onetsoc_code=soc_a, task=task_a))
            continue
        if task_a != task_b:
            diff.tasks_reworded.append(
                TaskChange(task_id=task_id, onetsoc_code=soc_b, task=task_b, before=task_a, after=task_b)
            )
        if date_a != date_b:
            diff.tasks_redated.append(
                TaskChange(task_id=task_id, onetsoc_code=soc_b, task=task_b, before=date_a, after=date_b)
            )
        if soc_a != soc_b:
            diff.tasks_moved.append(
                TaskChange(task_id=task_id, onetsoc_code=soc_b, task=task_b, before=soc_a, after=soc_b)
            )


def _occupation_changes(conn: psycopg.Connection, old: str, new: str, diff: VersionDiff) -> None:
    rows = conn.execute(
        """WITH a AS (SELECT onetsoc_code, title FROM onet_raw.occupation_data WHERE data_version = %s),
                b AS (SELECT onetsoc_code, title FROM onet_raw.occupation_data WHERE data_version = %s)
           SELECT onetsoc_code, a.title, b.title FROM a FULL JOIN b USING (onetsoc_code)
           WHERE a.title IS DISTINCT FROM b.title ORDER BY onetsoc_code""",
        (old, new),
    ).fetchall()
    for code, title_a, title_b in rows:
        if title_a is None:
            diff.occupations_added.append(OccupationChange(onetsoc_code=code, title=title_b))
        elif title_b is None:
            diff.occupations_removed.append(OccupationChange(onetsoc_code=code, title=title_a))
        else:
            diff.occupations_retitled.append(
                OccupationChange(onetsoc_code=code, title=title_b, before=title_a, after=title_b)
            )


def _scores(conn: psycopg.Connection, table: str, data_version: str) -> list[float]:
    return [
        r[0]
        for r in conn.execute(
            f"SELECT mean::float8 FROM {table} WHERE data_version = %s AND mean IS NOT NULL", (data_version,)
        )
    ]


def _score_changes(conn: psycopg.Connection, old: str, new: str, diff: VersionDiff) -> None:
    for table, field in (
        ("marts.task_ai_ensemble", "task_scores"),
        ("marts.occupation_ai_score", "occupation_scores"),
    ):
        if not table_exists(conn, table):
            diff.notes.append(f"{table} does not exist: no score distribution change")
            continue
        before, after = _scores(conn, table, old), _scores(conn, table, new)
        if not before or not after:
            missing = [v for v, s in ((old, before), (new, after)) if not s]
            diff.notes.append(f"{table} has no scores for {', '.join(missing)}: no score distribution change")
            continue
        setattr(diff, field, score_shift(before, after))
    if diff.occupation_scores is None:
        return
    rows = conn.execute(
        """WITH a AS (SELECT soc_code, mean, rank() OVER (ORDER BY mean DESC) AS r FROM marts.occupation_ai_score
                      WHERE data_version = %(old)s AND mean IS NOT NULL),
                b AS (SELECT soc_code, mean, rank() OVER (ORDER BY mean DESC) AS r FROM marts.occupation_ai_score
                      WHERE data_version = %(new)s AND mean IS NOT NULL),
                titles AS (SELECT DISTINCT ON (left(onetsoc_code, 7)) left(onetsoc_code, 7) AS soc_code, title
                           FROM onet_raw.occupation_data WHERE data_version = %(new)s ORDER BY 1, onetsoc_code)
           SELECT soc_code, titles.title, a.r, b.r, a.mean::float8, b.mean::float8
           FROM a JOIN b USING (soc_code) LEFT JOIN titles USING (soc_code)
           WHERE a.r <> b.r ORDER BY abs(a.r - b.r) DESC, soc_code LIMIT %(limit)s""",
        {"old": old, "new": new, "limit": RANK_MOVERS},
    ).fetchall()
    diff.rank_movers = [
        RankMove(soc_code=s, title=t, rank_before=ra, rank_after=rb, score_before=ma, score_after=mb)
        for s, t, ra, rb, ma, mb in rows
    ]


def _provider_calls(conn: psycopg.Connection, data_version: str, diff: VersionDiff) -> None:
    rows = conn.execute(
        """SELECT model, count(*), coalesce(sum(n_calls), 0), coalesce(sum(n_cache_hits), 0),
                  coalesce(sum(cost_estimate), 0)::float8
           FROM core.model_run WHERE data_version = %s GROUP BY model ORDER BY model""",
        (data_version,),
    ).fetchall()
    diff.provider_calls = [
        ProviderCalls(model=m, runs=r, calls=c, cache_hits=h, cost_usd=cost) for m, r, c, h, cost in rows
    ]


def compute_diff(conn: psycopg.Connection, data_version: str, baseline: str | None) -> VersionDiff:
    diff = VersionDiff(data_version=data_version, baseline_version=baseline)
    _provider_calls(conn, data_version, diff)
    if baseline is None:
        diff.notes.append(f"O*NET {data_version} is the first version loaded: nothing to compare against")
        return diff
    diff.row_counts = _row_counts(conn, baseline, data_version)
    _task_changes(conn, baseline, data_version, diff)
    _occupation_changes(conn, baseline, data_version, diff)
    _score_changes(conn, baseline, data_version, diff)
    return diff


def _fmt(value: int | None) -> str:
    return "absent" if value is None else f"{value:,}"


def _change(row: RowCountChange) -> str:
    if row.change is not None:
        return f"{row.change:+,}"
    return "file added" if row.before is None else "file removed"


def _task_lines(title: str, changes: list[TaskChange], show_change: bool) -> list[str]:
    if not changes:
        return []
    lines = [f"### {title} ({len(changes):,})", ""]
    for c in changes[:MARKDOWN_LIST_LIMIT]:
        change = f" — `{c.before}` → `{c.after}`" if show_change else ""
        lines.append(f"- **{c.task_id}** ({c.onetsoc_code}){change}: {c.task}")
    if len(changes) > MARKDOWN_LIST_LIMIT:
        lines.append(
            f"- … and {len(changes) - MARKDOWN_LIST_LIMIT:,} more (full list in core.version_diff.report)"
        )
    return lines + [""]


def _shift_line(name: str, shift: ScoreShift | None) -> str:
    if shift is None:
        return f"| {name} | n/a | | | | |"
    return (
        f"| {name} | {shift.n_before:,} → {shift.n_after:,} | {shift.mean_before:.4f} → {shift.mean_after:.4f} | "
        f"{shift.ks_statistic:.4f} | {shift.ks_pvalue:.4g} | {shift.js_divergence:.6f} |"
    )


def to_markdown(diff: VersionDiff) -> str:
    if diff.baseline_version is None:
        lines = [f"## O*NET {diff.data_version}: first version, no baseline"]
    else:
        lines = [
            f"## O*NET {diff.baseline_version} → {diff.data_version}",
            "",
            f"Tasks: **{len(diff.tasks_added):,} added, {len(diff.tasks_removed):,} removed, "
            f"{len(diff.tasks_reworded):,} reworded, {len(diff.tasks_redated):,} re-dated**"
            + (f", {len(diff.tasks_moved):,} moved to another occupation" if diff.tasks_moved else "")
            + f". Occupations: **{len(diff.occupations_added):,} added, {len(diff.occupations_removed):,} removed, "
            f"{len(diff.occupations_retitled):,} retitled**.",
            "",
        ]
        changed = [r for r in diff.row_counts if r.before != r.after]
        if changed:
            lines += [
                "### Row counts that changed",
                "",
                "| table | before | after | change |",
                "|---|---:|---:|---:|",
            ]
            lines += [f"| {r.table} | {_fmt(r.before)} | {_fmt(r.after)} | {_change(r)} |" for r in changed]
            lines.append("")
        lines += _task_lines("Removed tasks", diff.tasks_removed, False)
        lines += _task_lines("Added tasks", diff.tasks_added, False)
        lines += _task_lines("Reworded tasks", diff.tasks_reworded, True)
        lines += _task_lines("Re-dated tasks", diff.tasks_redated, True)
        lines += _task_lines("Tasks moved between occupations", diff.tasks_moved, True)
        for title, occs in (
            ("Added occupations", diff.occupations_added),
            ("Removed occupations", diff.occupations_removed),
            ("Retitled occupations", diff.occupations_retitled),
        ):
            if occs:
                lines += [f"### {title} ({len(occs):,})", ""]
                lines += [
                    f"- {o.onetsoc_code}: {o.title}" + (f" (was: {o.before})" if o.before else "")
                    for o in occs[:MARKDOWN_LIST_LIMIT]
                ] + [""]
        lines += [
            "### AI-score distribution",
            "",
            "| level | n | mean | KS statistic | KS p-value | JS divergence (bits) |",
            "|---|---|---|---:|---:|---:|",
            _shift_line("task ensemble mean", diff.task_scores),
            _shift_line("occupation score", diff.occupation_scores),
            "",
        ]
        if diff.rank_movers:
            lines += [
                "### Occupations whose rank moved most",
                "",
                "| SOC | title | rank | score |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| {m.soc_code} | {m.title or ''} | {m.rank_before} → {m.rank_after} | "
                f"{m.score_before:.4f} → {m.score_after:.4f} |"
                for m in diff.rank_movers
            ]
            lines.append("")
    if diff.provider_calls is not None:
        lines += [
            f"### Scoring runs of O*NET {diff.data_version}",
            "",
            "| model | runs | provider calls | cache hits | cost (USD) |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {p.model} | {p.runs} | {p.calls:,} | {p.cache_hits:,} | {p.cost_usd:.4f} |"
            for p in diff.provider_calls
        ]
        lines.append("")
    lines += [f"_{note}_" for note in diff.notes]
    return "\n".join(lines).rstrip() + "\n"


def store_diff(conn: psycopg.Connection, diff: VersionDiff, markdown: str) -> None:
    """Upsert: re-running the report for a version replaces its row."""
    shift = diff.task_scores
    conn.execute(
        """INSERT INTO core.version_diff (data_version, baseline_version, created_at, tasks_added, tasks_removed,
               tasks_reworded, tasks_redated, occupations_added, occupations_removed, occupations_retitled,
               task_score_ks, task_score_ks_pvalue, task_score_js, provider_calls, cache_hits, report, markdown)
           VALUES (%s, %s, now(), %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
           ON CONFLICT (data_version) DO UPDATE SET
               baseline_version = EXCLUDED.baseline_version, created_at = EXCLUDED.created_at,
               tasks_added = EXCLUDED.tasks_added, tasks_removed = EXCLUDED.tasks_removed,
               tasks_reworded = EXCLUDED.tasks_reworded, tasks_redated = EXCLUDED.tasks_redated,
               occupations_added = EXCLUDED.occupations_added, occupations_removed = EXCLUDED.occupations_removed,
               occupations_retitled = EXCLUDED.occupations_retitled, task_score_ks = EXCLUDED.task_score_ks,
               task_score_ks_pvalue = EXCLUDED.task_score_ks_pvalue, task_score_js = EXCLUDED.task_score_js,
               provider_calls = EXCLUDED.provider_calls, cache_hits = EXCLUDED.cache_hits,
               report = EXCLUDED.report, markdown = EXCLUDED.markdown""",
        (
            diff.data_version,
            diff.baseline_version,
            len(diff.tasks_added),
            len(diff.tasks_removed),
            len(diff.tasks_reworded),
            len(diff.tasks_redated),
            len(diff.occupations_added),
            len(diff.occupations_removed),
            len(diff.occupations_retitled),
            shift.ks_statistic if shift else None,
            shift.ks_pvalue if shift else None,
            shift.js_divergence if shift else None,
            diff.total_provider_calls,
            diff.total_cache_hits,
            Jsonb(diff.model_dump(mode="json")),
            markdown,
        ),
    )


def write_diff(conn: psycopg.Connection, data_version: str) -> tuple[VersionDiff, str]:
    diff = compute_diff(conn, data_version, baseline_version(conn, data_version))
    markdown = to_markdown(diff)
    store_diff(conn, diff, markdown)
    return diff, markdown


def finish_version(conn: psycopg.Connection, data_version: str, run_id: str | None = None) -> list[str]:
    """The last step of a version's build: its diff report, then the version is complete; and when it was
    loaded after a newer one, that newer version's report is rebuilt against it (its nearest older
    complete version changed). Returns the versions whose reports were written, in order."""
    with conn.transaction():
        # One finisher at a time: two versions finishing at once would each miss the other.
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('occurisk.version_diff', 0))")
        build_lock.verify_built(conn, data_version, run_id)  # what this run built is what it loaded
        write_diff(conn, data_version)
        mark_complete(conn, data_version, run_id)
        written = [data_version]
        newer = nearest_newer(complete_versions(conn), data_version)
        if newer is not None:
            stored = conn.execute(
                "SELECT baseline_version FROM core.version_diff WHERE data_version = %s", (newer,)
            ).fetchone()
            if stored is None or stored[0] != data_version:
                write_diff(conn, newer)
                written.append(newer)
    return written


def stored_diff(conn: psycopg.Connection, data_version: str) -> dict | None:
    """The stored report of `data_version` (the JSON the API serves), or None."""
    row = conn.execute(
        "SELECT report, markdown, created_at FROM core.version_diff WHERE data_version = %s", (data_version,)
    ).fetchone()
    if row is None:
        return None
    report, markdown, created_at = row
    return {**report, "created_at": created_at.isoformat(), "markdown": markdown}
