"""A scoring run's state and every write it makes to core.model_run, core.task_ai_score,
core.llm_call and core.scoring_failure. Each write commits, so a crash loses nothing already paid for."""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from occurisk_assets.scoring.cache import cached_calls, call_key, llm_call_ref, store_call
from occurisk_assets.scoring.calling import CallOutcome
from occurisk_assets.scoring.catalog import CatalogTask
from occurisk_assets.scoring.config import ModelConfig
from occurisk_assets.scoring.prompt import Prompt, RenderedPrompt

SCORE_COLUMNS = (
    "data_version",
    "task_id",
    "model",
    "run_id",
    "model_version",
    "prompt_version",
    "score",
    "rationale",
    "call_key",
    "origin",
    "raw_json_ref",
)


@dataclass
class WorkItem:
    """One paid question: a rendered prompt, and every task of the run whose prompt is exactly that text."""

    key: str
    prompt: RenderedPrompt
    tasks: list[CatalogTask]


@dataclass
class RunState:
    run_id: int
    model: ModelConfig
    data_version: str
    model_version: str
    prompt_version: str
    mode: str
    n_tasks: int
    pending: list[CatalogTask]  # selected tasks without a score in this run yet
    resumed: bool = False
    reused: bool = False
    n_calls: int = 0
    n_cache_hits: int = 0
    cost_usd: float = 0.0
    budget_stopped: bool = False
    fatal_error: str | None = None
    params: dict = field(default_factory=dict)
    in_flight: int = 0

    def work_items(self, prompt: Prompt) -> list[WorkItem]:
        """The pending tasks grouped by call key (identical prompt texts are asked once)."""
        items: dict[str, WorkItem] = {}
        for task in self.pending:
            rendered = prompt.render(
                occupation_title=task.occupation_title, task_statement=task.task_statement
            )
            key = call_key(self.model, rendered)
            items.setdefault(key, WorkItem(key, rendered, [])).tasks.append(task)
        return list(items.values())


def save_counters(conn: psycopg.Connection, run: RunState) -> None:
    conn.execute(
        "UPDATE core.model_run SET n_calls = %s, n_cache_hits = %s, cost_estimate = %s WHERE run_id = %s",
        [run.n_calls, run.n_cache_hits, run.cost_usd, run.run_id],
    )


def copy_scores(conn: psycopg.Connection, rows: list[tuple]) -> None:
    with conn.cursor().copy(f"COPY core.task_ai_score ({', '.join(SCORE_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def score_row(
    run: RunState,
    task: CatalogTask,
    score: float,
    rationale: str | None,
    key: str | None,
    origin: str,
    raw_json_ref: str,
) -> tuple:
    return (
        run.data_version,
        task.task_id,
        run.model.name,
        run.run_id,
        run.model_version,
        run.prompt_version,
        score,
        rationale,
        key,
        origin,
        raw_json_ref,
    )


def apply_cached(conn: psycopg.Connection, run: RunState, items: list[WorkItem]) -> list[WorkItem]:
    """Score every task whose call is already in core.llm_call; return the items still to be paid for."""
    cached = cached_calls(conn, [item.key for item in items])
    if not cached:
        return items
    paid_here = {
        key
        for (key,) in conn.execute(
            "SELECT call_key FROM core.llm_call WHERE call_key = ANY(%s) AND run_id = %s",
            [list(cached), run.run_id],
        )
    }
    rows = []
    for item in items:
        hit = cached.get(item.key)
        if hit is None:
            continue
        origin = "call" if item.key in paid_here else "cache"
        for task in item.tasks:
            rows.append(
                score_row(run, task, hit.score, hit.rationale, item.key, origin, llm_call_ref(item.key))
            )
            run.n_cache_hits += origin == "cache"
    copy_scores(conn, rows)
    save_counters(conn, run)
    conn.commit()
    scored = {row[1] for row in rows}
    run.pending = [t for t in run.pending if t.task_id not in scored]
    return [item for item in items if item.key not in cached]


def record_success(
    conn: psycopg.Connection, run: RunState, item: WorkItem, outcome: CallOutcome, *, via_batch: bool
) -> None:
    assert outcome.output is not None
    store_call(
        conn,
        key=item.key,
        model=run.model,
        prompt=item.prompt,
        outcome=outcome,
        run_id=run.run_id,
        via_batch=via_batch,
    )
    copy_scores(
        conn,
        [
            score_row(
                run,
                task,
                outcome.output.score,
                outcome.output.rationale,
                item.key,
                "call",
                llm_call_ref(item.key),
            )
            for task in item.tasks
        ],
    )
    run.n_calls += outcome.paid_attempts
    run.cost_usd += outcome.cost_usd
    save_counters(conn, run)
    conn.commit()
    done = {t.task_id for t in item.tasks}
    run.pending = [t for t in run.pending if t.task_id not in done]


def record_failure(conn: psycopg.Connection, run: RunState, item: WorkItem, outcome: CallOutcome) -> None:
    """A call that produced no score after its retries: one core.scoring_failure row per task."""
    with conn.cursor() as cur:
        cur.executemany(
            """
            INSERT INTO core.scoring_failure (run_id, data_version, task_id, model, call_key, error_kind, message,
                attempts, paid_attempts, cost_usd)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            [
                (
                    run.run_id,
                    run.data_version,
                    task.task_id,
                    run.model.name,
                    item.key,
                    outcome.error_kind,
                    outcome.error_message or "",
                    outcome.http_attempts,
                    outcome.paid_attempts,
                    outcome.cost_usd,
                )
                for task in item.tasks
            ],
        )
    run.n_calls += outcome.paid_attempts
    run.cost_usd += outcome.cost_usd
    save_counters(conn, run)
    conn.commit()


def record_outcome(
    conn: psycopg.Connection, run: RunState, item: WorkItem, outcome: CallOutcome, *, via_batch: bool = False
) -> str:
    """Write one call's outcome; return its kind ('scored', 'failed', 'budget', 'fatal')."""
    if outcome.output is not None:
        record_success(conn, run, item, outcome, via_batch=via_batch)
        return "scored"
    if outcome.fatal or outcome.stopped_by_budget:
        # Paid invalid replies before the stop still count; the item stays pending for a resumed run.
        run.n_calls += outcome.paid_attempts
        run.cost_usd += outcome.cost_usd
        save_counters(conn, run)
        conn.commit()
        if outcome.fatal:
            run.fatal_error = outcome.error_message
            return "fatal"
        run.budget_stopped = True
        return "budget"
    record_failure(conn, run, item, outcome)
    return "failed"
