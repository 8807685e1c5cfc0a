"""Batch scoring: the OpenAI Batch API and Anthropic Message Batches (half price, up to 24 h).

Every submitted batch is recorded in core.llm_batch before we wait for it, so an interrupted run (or any
later run of the same model) collects it instead of paying for the same requests again. Replies that are
invalid, and requests the provider could not serve, go into the next round, up to max_output_attempts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial

import psycopg
from psycopg.types.json import Jsonb

from occurisk_assets.lib.llm_providers.base import BatchItemError, Provider
from occurisk_assets.lib.llm_providers.limits import BudgetGuard, transient_retrying
from occurisk_assets.scoring.calling import CallOutcome, max_call_cost_usd, reply_cost_usd, scrub
from occurisk_assets.scoring.catalog import CatalogTask
from occurisk_assets.scoring.config import BatchConfig, RetryConfig
from occurisk_assets.scoring.online import ProgressCallback, ProgressEvent
from occurisk_assets.scoring.parsing import InvalidOutput
from occurisk_assets.scoring.prompt import load_prompt
from occurisk_assets.scoring.recording import (
    RunState,
    WorkItem,
    record_failure,
    record_success,
    save_counters,
)

log = logging.getLogger(__name__)


class BatchWaitExceeded(Exception):
    pass


def _with_retries(fn: Callable, retry: RetryConfig, sleep: Callable[[float], None]):
    """Batch bookkeeping calls (submit, poll, download) are free, so transient errors are simply retried."""
    return transient_retrying(retry, sleep)(fn)


def _wait_until_ended(
    provider: Provider, batch_id: str, cfg: BatchConfig, retry: RetryConfig, sleep: Callable[[float], None]
) -> str:
    deadline = time.monotonic() + cfg.max_wait_s
    while True:
        state = _with_retries(partial(provider.batch_state, batch_id), retry, sleep)
        if state.ended:
            return state.status
        if time.monotonic() > deadline:
            raise BatchWaitExceeded(
                f"batch {batch_id} is still {state.status} after {cfg.max_wait_s:.0f}s; "
                "run the same command again to collect it"
            )
        sleep(cfg.poll_interval_s)


def _catalog_rows(
    conn: psycopg.Connection, refs: list[tuple[str, int]]
) -> dict[tuple[str, int], CatalogTask]:
    rows = conn.execute(
        """
        SELECT c.data_version, c.task_id, c.onetsoc_code, c.occupation_title, c.task_statement, c.priority_rank
        FROM marts.task_catalog c
        JOIN unnest(%s::text[], %s::int[]) AS r(data_version, task_id) USING (data_version, task_id)
        """,
        [[r[0] for r in refs], [r[1] for r in refs]],
    ).fetchall()
    return {(r[0], r[1]): CatalogTask(*r[1:]) for r in rows}


def _collect(
    conn: psycopg.Connection,
    provider: Provider,
    batch_id: str,
    run: RunState,
    items: dict[str, WorkItem],
    attempts: dict[str, CallOutcome],
    retry: RetryConfig,
    sleep: Callable[[float], None],
    secrets: list[str],
) -> float:
    """Store a finished batch's valid replies in core.llm_call (scores for the items' tasks); count the
    invalid ones in `attempts`. Returns what the batch cost."""
    results = _with_retries(partial(provider.batch_results, batch_id), retry, sleep)
    batch_cost = 0.0
    for key, item in items.items():
        outcome = attempts.setdefault(key, CallOutcome())
        outcome.http_attempts += 1
        result = results.get(key)
        if result is None or isinstance(result, BatchItemError):
            outcome.error_kind = result.kind if result else "batch_missing"
            outcome.error_message = scrub(
                result.message if result else "no result in the batch output", secrets
            )
            continue
        cost = reply_cost_usd(run.model, item.prompt, result, batch=True)
        batch_cost += cost
        outcome.paid_attempts += 1
        outcome.cost_usd += cost
        try:
            outcome.output = result.parse()
        except InvalidOutput as exc:
            outcome.error_kind, outcome.error_message = exc.kind, str(exc)
            continue
        outcome.reply = result
        record_success(conn, run, item, outcome, via_batch=True)
    conn.execute(
        "UPDATE core.llm_batch SET status = 'collected', collected_at = clock_timestamp() WHERE batch_id = %s",
        [batch_id],
    )
    conn.commit()
    return batch_cost


def _charge_unfinished(conn: psycopg.Connection, run: RunState, outcomes: list[CallOutcome]) -> None:
    """Invalid replies already paid for items that end neither scored nor failed (budget, later retry)."""
    paid = [o for o in outcomes if o.output is None and o.paid_attempts]
    if paid:
        run.n_calls += sum(o.paid_attempts for o in paid)
        run.cost_usd += sum(o.cost_usd for o in paid)
        save_counters(conn, run)
        conn.commit()


def pending_batch_keys(conn: psycopg.Connection, model_name: str) -> set[str]:
    """Call keys submitted in batches not collected yet."""
    return {
        key
        for (key,) in conn.execute(
            "SELECT jsonb_object_keys(requests) FROM core.llm_batch WHERE status = 'submitted' AND model = %s",
            [model_name],
        )
    }


def collect_pending(
    conn: psycopg.Connection,
    runs: list[RunState],
    providers: dict[int, Provider],
    cfg: BatchConfig,
    retry: RetryConfig,
    sleep: Callable[[float], None],
    secrets: list[str],
    *,
    wait: bool,
) -> None:
    """Collect batches an earlier, interrupted invocation submitted for these models (any of their runs).
    Without `wait`, only those that have already ended."""
    by_model = {run.model.name: run for run in runs}
    pending = conn.execute(
        "SELECT batch_id, run_id, model, requests FROM core.llm_batch WHERE status = 'submitted' AND model = ANY(%s)",
        [list(by_model)],
    ).fetchall()
    for batch_id, run_id, model_name, requests in pending:
        current = by_model[model_name]
        provider = providers[current.run_id]
        if not wait and not _with_retries(partial(provider.batch_state, batch_id), retry, sleep).ended:
            continue
        owner = _owner_run(conn, current, run_id)
        catalog = _catalog_rows(conn, [tuple(ref) for ref in requests.values()])
        prompt = load_prompt(owner.prompt_version)
        items = {}
        for key, (data_version, task_id) in requests.items():
            task = catalog.get((data_version, task_id))
            if task is not None:  # its catalog row can only be gone if that release was deleted
                rendered = prompt.render(
                    occupation_title=task.occupation_title, task_statement=task.task_statement
                )
                items[key] = WorkItem(key, rendered, [])
        log.info("%s: collecting batch %s submitted by run %s", model_name, batch_id, run_id)
        _wait_until_ended(provider, batch_id, cfg, retry, sleep)
        outcomes: dict[str, CallOutcome] = {}
        _collect(conn, provider, batch_id, owner, items, outcomes, retry, sleep, secrets)
        # Failed requests are simply asked again by the current run; what they cost is the owner's.
        _charge_unfinished(conn, owner, list(outcomes.values()))


def _owner_run(conn: psycopg.Connection, current: RunState, run_id: int) -> RunState:
    """The run that paid for a batch: its calls and cost are counted there."""
    if run_id == current.run_id:
        return current
    row = conn.execute(
        "SELECT data_version, model_version, prompt_version, n_calls, n_cache_hits, cost_estimate "
        "FROM core.model_run WHERE run_id = %s",
        [run_id],
    ).fetchone()
    # The batch's keys were computed with that run's model_version, which the config may have moved past.
    model = current.model.model_copy(update={"model_version": row[1]})
    return RunState(
        run_id=run_id,
        model=model,
        data_version=row[0],
        model_version=row[1],
        prompt_version=row[2],
        mode="batch",
        n_tasks=0,
        pending=[],
        n_calls=row[3],
        n_cache_hits=row[4],
        cost_usd=float(row[5]),
    )


def score_batch(
    conn: psycopg.Connection,
    work: dict[int, tuple[RunState, list[WorkItem]]],
    providers: dict[int, Provider],
    budget: BudgetGuard,
    cfg: BatchConfig,
    retry: RetryConfig,
    sleep: Callable[[float], None],
    secrets: list[str],
    progress: ProgressCallback | None = None,
) -> None:
    """Submit each run's items as batches, round after round, until each is scored, has failed
    max_output_attempts times, or no longer fits the budget."""
    attempts: dict[int, dict[str, CallOutcome]] = {run_id: {} for run_id in work}
    remaining = {run_id: list(items) for run_id, (_, items) in work.items()}
    while any(remaining.values()):
        submitted = []
        for run_id, items in remaining.items():
            if not items:
                continue
            run = work[run_id][0]
            affordable, reserved = [], 0.0
            for item in items:
                cost = max_call_cost_usd(run.model, item.prompt, batch=True)
                if not budget.try_reserve(cost):
                    break
                affordable.append(item)
                reserved += cost
            if not affordable:
                run.budget_stopped = True
                _charge_unfinished(
                    conn, run, [attempts[run_id][i.key] for i in items if i.key in attempts[run_id]]
                )
                remaining[run_id] = []
                continue
            provider = providers[run_id]
            batch_id = _with_retries(
                partial(provider.submit_batch, {i.key: i.prompt for i in affordable}), retry, sleep
            )
            requests = {i.key: [run.data_version, i.tasks[0].task_id] for i in affordable}
            conn.execute(
                "INSERT INTO core.llm_batch (batch_id, run_id, model, provider, status, requests, n_requests, "
                "reserved_usd) VALUES (%s, %s, %s, %s, 'submitted', %s, %s, %s)",
                [
                    batch_id,
                    run_id,
                    run.model.name,
                    run.model.provider,
                    Jsonb(requests),
                    len(affordable),
                    reserved,
                ],
            )
            conn.commit()
            log.info("%s: submitted batch %s (%d requests)", run.model.name, batch_id, len(affordable))
            submitted.append((run_id, batch_id, affordable, reserved))
        for run_id, batch_id, affordable, reserved in submitted:
            run, outcomes = work[run_id][0], attempts[run_id]
            _wait_until_ended(providers[run_id], batch_id, cfg, retry, sleep)
            batch_cost = _collect(
                conn,
                providers[run_id],
                batch_id,
                run,
                {i.key: i for i in affordable},
                outcomes,
                retry,
                sleep,
                secrets,
            )
            budget.settle(reserved, batch_cost)
            again = []
            for item in affordable:
                outcome = outcomes[item.key]
                if outcome.output is not None:
                    kind = "scored"
                elif outcome.http_attempts >= retry.max_output_attempts:
                    record_failure(conn, run, item, outcome)
                    kind = "failed"
                else:
                    again.append(item)
                    continue
                if progress:
                    progress(ProgressEvent(run.model.name, run_id, kind, len(item.tasks), len(run.pending)))
            sent = {i.key for i in affordable}
            remaining[run_id] = again + [i for i in remaining[run_id] if i.key not in sent]
