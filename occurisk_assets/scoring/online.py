"""Online scoring: one dispatcher feeding every model's worker threads, interleaved, under one budget.

Worker threads only make calls; this thread writes each outcome and commits before the next, so an
interruption (exception, Ctrl-C) loses no paid call: calls already on the wire are waited for and
recorded before the exception propagates.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import psycopg

from occurisk_assets.lib.llm_providers.limits import BudgetGuard
from occurisk_assets.scoring.calling import CallContext, call_with_retries, max_call_cost_usd
from occurisk_assets.scoring.recording import RunState, WorkItem, record_outcome

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProgressEvent:
    model: str
    run_id: int
    outcome: str  # 'scored' | 'failed' | 'budget' | 'fatal'
    tasks: int  # tasks settled by this call
    pending: int  # tasks of the run still without a score


ProgressCallback = Callable[[ProgressEvent], None]


def score_online(
    conn: psycopg.Connection,
    work: dict[int, tuple[RunState, list[WorkItem]]],
    contexts: dict[int, CallContext],
    budget: BudgetGuard,
    progress: ProgressCallback | None = None,
) -> None:
    """Pay for every work item (run_id -> (run, items)) the budget allows; updates the runs in place."""
    queues = {run_id: deque(items) for run_id, (_, items) in work.items()}
    runs = {run_id: run for run_id, (run, _) in work.items()}
    executors = {
        run_id: ThreadPoolExecutor(max_workers=run.model.concurrency, thread_name_prefix=f"score-{run_id}")
        for run_id, run in runs.items()
    }
    in_flight: dict[Future, tuple[RunState, WorkItem]] = {}

    def settle(future: Future, run: RunState, item: WorkItem) -> None:
        run.in_flight -= 1
        kind = record_outcome(conn, run, item, future.result())
        if kind == "fatal":
            log.error("%s: stopping its run: %s", run.model.name, run.fatal_error)
            queues[run.run_id].clear()
        if progress:
            progress(ProgressEvent(run.model.name, run.run_id, kind, len(item.tasks), len(run.pending)))

    try:
        while True:
            for run_id, queue in queues.items():
                run = runs[run_id]
                while queue and run.in_flight < run.model.concurrency:
                    reservation = max_call_cost_usd(run.model, queue[0].prompt)
                    if not budget.try_reserve(reservation):
                        break  # retried after in-flight calls settle and free their reservations
                    item = queue.popleft()
                    run.in_flight += 1
                    future = executors[run_id].submit(
                        call_with_retries, contexts[run_id], item.prompt, reservation
                    )
                    in_flight[future] = (run, item)
            if not in_flight:
                break
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                settle(future, *in_flight.pop(future))
        for run_id, queue in queues.items():
            if queue:
                runs[run_id].budget_stopped = True
    except BaseException:
        _drain(conn, in_flight)
        raise
    finally:
        for executor in executors.values():
            executor.shutdown(wait=True, cancel_futures=True)


def _drain(conn: psycopg.Connection, in_flight: dict[Future, tuple[RunState, WorkItem]]) -> None:
    """Record the calls already sent before giving up, so a resumed run does not pay for them again."""
    for future in in_flight:
        future.cancel()
    if conn.info.transaction_status == psycopg.pq.TransactionStatus.INERROR:
        conn.rollback()
    for future, (run, item) in in_flight.items():
        if future.cancelled():
            continue
        try:
            record_outcome(conn, run, item, future.result())
        except Exception:  # the original exception is the one to report
            log.exception("%s: could not record a finished call while stopping", run.model.name)
