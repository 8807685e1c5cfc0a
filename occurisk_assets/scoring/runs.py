"""run_scoring: the one entry point the Dagster asset and the CLI share.

For each model it opens a core.model_run (or resumes the unfinished run with the same identity, or reuses
an identical completed one), scores the selected tasks through the published labels, the cache, or paid
calls, and closes the run with its counts, its unscored tasks, and an MLflow run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.types.json import Jsonb

from occurisk_assets.lib.llm_providers import build_provider, has_api_key, secret_values
from occurisk_assets.lib.llm_providers.base import Provider
from occurisk_assets.lib.llm_providers.limits import BudgetGuard, RateLimiter
from occurisk_assets.lib.settings import Settings, get_settings
from occurisk_assets.scoring import published
from occurisk_assets.scoring.batch import collect_pending, pending_batch_keys, score_batch
from occurisk_assets.scoring.calling import CallContext, scrub
from occurisk_assets.scoring.catalog import CatalogTask, select_tasks, selection_hash
from occurisk_assets.scoring.config import ModelConfig, ScoringConfig, load_scoring_config
from occurisk_assets.scoring.online import ProgressCallback, score_online
from occurisk_assets.scoring.prompt import load_prompt
from occurisk_assets.scoring.recording import RunState, apply_cached, copy_scores, score_row

if TYPE_CHECKING:
    from occurisk_assets.lib.mlflow_store import MlflowStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    model: str
    data_version: str
    status: str
    reused: bool  # an identical completed run existed: nothing was done
    resumed: bool  # an unfinished run with the same identity was continued
    n_tasks: int
    n_scored: int
    n_calls: int
    n_cache_hits: int
    n_failures: int
    n_unscored: int
    cost_estimate: float
    mlflow_run_id: str | None


def resolve_models(
    config: ScoringConfig, requested: list[str] | None, settings: Settings | None = None
) -> list[ModelConfig]:
    """The requested models; by default every default LLM whose key is set, else the published raters."""
    if requested:
        return [config.model(name) for name in dict.fromkeys(requested)]
    llms = [config.model(n) for n in config.default_llm_models if has_api_key(config.model(n), settings)]
    return llms or [config.model(n) for n in config.default_offline_models]


def _public_model_params(model: ModelConfig) -> dict:
    params = model.model_dump(exclude_none=True)
    if model.base_url:  # a URL may carry credentials in its user-info part
        parts = urlsplit(model.base_url)
        params["base_url"] = urlunsplit(
            parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else ""))
        )
    return params


@contextmanager
def _model_locks(conn: psycopg.Connection, model_names: list[str]) -> Iterator[None]:
    """One scoring process per model at a time, so two processes never pay for the same call."""
    keys = [f"occurisk.scoring.model:{name}" for name in sorted(model_names)]
    for key in keys:
        conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [key])
    conn.commit()
    try:
        yield
    finally:
        if conn.info.transaction_status == psycopg.pq.TransactionStatus.INERROR:
            conn.rollback()
        for key in keys:
            conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [key])
        conn.commit()


def _open_run(
    conn: psycopg.Connection,
    model: ModelConfig,
    *,
    data_version: str,
    model_version: str,
    prompt_version: str,
    mode: str,
    tasks: list[CatalogTask],
    selection: str,
    top_n: int | None,
    sample: int | None,
    budget_usd: float | None,
    params: dict,
    new_run: bool,
) -> RunState:
    identity = [model.name, data_version, model_version, prompt_version, selection]
    latest = (
        None
        if new_run
        else conn.execute(
            """
        SELECT run_id, status, n_unscored, n_calls, n_cache_hits, cost_estimate, params FROM core.model_run
        WHERE model = %s AND data_version = %s AND model_version = %s AND prompt_version = %s AND selection_hash = %s
        ORDER BY created_at DESC, run_id DESC LIMIT 1
        """,
            identity,
        ).fetchone()
    )
    state = {
        "model": model,
        "data_version": data_version,
        "model_version": model_version,
        "prompt_version": prompt_version,
        "mode": mode,
        "n_tasks": len(tasks),
    }
    if latest is not None:
        run_id, status, n_unscored, n_calls, n_cache_hits, cost, old_params = latest
        if status == "completed" and (not model.is_llm or n_unscored == 0):
            return RunState(run_id=run_id, pending=[], reused=True, params=old_params, **state)
        conn.execute(
            "UPDATE core.model_run SET status = 'running', finished_at = NULL, error = NULL, mode = %s, "
            "budget_usd = %s, params = params || %s WHERE run_id = %s",
            [mode, budget_usd, Jsonb(params), run_id],
        )
        scored = {
            t for (t,) in conn.execute("SELECT task_id FROM core.task_ai_score WHERE run_id = %s", [run_id])
        }
        conn.commit()
        log.info(
            "%s: resuming run %s (%d of %d tasks already scored)", model.name, run_id, len(scored), len(tasks)
        )
        return RunState(
            run_id=run_id,
            pending=[t for t in tasks if t.task_id not in scored],
            resumed=True,
            n_calls=n_calls,
            n_cache_hits=n_cache_hits,
            cost_usd=float(cost),
            params=params,
            **state,
        )
    (run_id,) = conn.execute(
        """
        INSERT INTO core.model_run (model, provider, model_version, prompt_version, data_version, mode, status,
            budget_usd, n_tasks, top_n, sample, selection_hash, params)
        VALUES (%s, %s, %s, %s, %s, %s, 'running', %s, %s, %s, %s, %s, %s)
        RETURNING run_id
        """,
        [
            model.name,
            model.provider,
            model_version,
            prompt_version,
            data_version,
            mode,
            budget_usd,
            len(tasks),
            top_n,
            sample,
            selection,
            Jsonb(params),
        ],
    ).fetchone()
    conn.commit()
    return RunState(run_id=run_id, pending=list(tasks), params=params, **state)


def _score_published(conn: psycopg.Connection, run: RunState, labelset: published.Labelset) -> None:
    scored, unscored = published.rate_tasks(run.pending, labelset, run.model)
    copy_scores(
        conn, [score_row(run, s.task, s.score, None, None, "published", s.raw_json_ref) for s in scored]
    )
    methods = {m: sum(s.method == m for s in scored) for m in ("id", "text")}
    run.params.update({"match_methods": methods, "unscored_reasons": {"no_published_rating": len(unscored)}})
    run.pending = unscored
    conn.commit()


def _score_llm(
    conn: psycopg.Connection,
    runs: list[RunState],
    providers: dict[int, Provider],
    config: ScoringConfig,
    budget: BudgetGuard,
    *,
    batch: bool,
    secrets: list[str],
    sleep: Callable[[float], None],
    progress: ProgressCallback | None,
) -> None:
    collect_pending(conn, runs, providers, config.batch, config.retry, sleep, secrets, wait=batch)
    work = {}
    for run in runs:
        items = apply_cached(conn, run, run.work_items(load_prompt(run.prompt_version)))
        in_batches = pending_batch_keys(conn, run.model.name)
        if in_batches:  # still processing at the provider: paying for them online would pay twice
            run.params["waiting_for_batch"] = sum(len(i.tasks) for i in items if i.key in in_batches)
            items = [i for i in items if i.key not in in_batches]
        work[run.run_id] = (run, items)
    if batch:
        score_batch(conn, work, providers, budget, config.batch, config.retry, sleep, secrets, progress)
        return
    contexts = {
        run.run_id: CallContext(
            provider=providers[run.run_id],
            limiter=RateLimiter(run.model.requests_per_minute, run.model.tokens_per_minute),
            retry=config.retry,
            budget=budget,
            secrets=secrets,
            sleep=sleep,
        )
        for run in runs
    }
    score_online(conn, work, contexts, budget, progress)


def _finish_run(conn: psycopg.Connection, run: RunState) -> None:
    failed = {
        t
        for (t,) in conn.execute(
            "SELECT DISTINCT task_id FROM core.scoring_failure WHERE run_id = %s", [run.run_id]
        )
    }
    unscored_ids = sorted(t.task_id for t in run.pending)
    n_failed = sum(t in failed for t in unscored_ids)  # failed in this run and still without a score
    if run.model.is_llm:
        waiting = run.params.pop("waiting_for_batch", 0)
        run.params["unscored_reasons"] = {
            "failed": n_failed,
            "waiting_for_batch": waiting,
            "not_reached": len(unscored_ids) - n_failed - waiting,  # budget, or a fatal provider error
        }
    run.params["unscored"] = {"count": len(unscored_ids), "task_ids": unscored_ids}
    n_scored = conn.execute(
        "SELECT count(*) FROM core.task_ai_score WHERE run_id = %s", [run.run_id]
    ).fetchone()[0]
    # A run that produced nothing because every call failed did not complete anything.
    all_failed = n_failed > 0 and n_scored == 0
    error = run.fatal_error or (
        f"every call failed: {n_failed} tasks unscored (see core.scoring_failure)" if all_failed else None
    )
    status = "failed" if error else "stopped_budget" if run.budget_stopped and run.pending else "completed"
    conn.execute(
        """
        UPDATE core.model_run
        SET status = %s, finished_at = clock_timestamp(), error = %s, params = params || %s,
            n_scored = (SELECT count(*) FROM core.task_ai_score WHERE run_id = %s),
            n_unscored = %s, n_failures = %s, n_calls = %s, n_cache_hits = %s, cost_estimate = %s
        WHERE run_id = %s
        """,
        [
            status,
            error,
            Jsonb(run.params),
            run.run_id,
            len(unscored_ids),
            n_failed,
            run.n_calls,
            run.n_cache_hits,
            run.cost_usd,
            run.run_id,
        ],
    )
    conn.commit()
    # Fresh statistics for the score marts built next: on a first load the planner would otherwise guess
    # the table empty and pick nested loops (a minute instead of under a second).
    conn.execute("ANALYZE core.task_ai_score")
    conn.commit()


def _mark_interrupted(
    conn: psycopg.Connection, run: RunState, exc: BaseException, secrets: list[str]
) -> None:
    if conn.info.transaction_status == psycopg.pq.TransactionStatus.INERROR:
        conn.rollback()
    conn.execute(
        """
        UPDATE core.model_run
        SET status = 'interrupted', finished_at = clock_timestamp(), error = %s,
            n_scored = (SELECT count(*) FROM core.task_ai_score WHERE run_id = %s),
            n_unscored = n_tasks - (SELECT count(*) FROM core.task_ai_score WHERE run_id = %s),
            n_calls = %s, n_cache_hits = %s, cost_estimate = %s
        WHERE run_id = %s AND status = 'running'
        """,
        [
            scrub(f"{type(exc).__name__}: {exc}", secrets)[:2000],
            run.run_id,
            run.run_id,
            run.n_calls,
            run.n_cache_hits,
            run.cost_usd,
            run.run_id,
        ],
    )
    conn.commit()


def load_summaries(
    conn: psycopg.Connection,
    run_ids: list[int],
    reused: set[int] = frozenset(),
    resumed: set[int] = frozenset(),
) -> list[RunSummary]:
    rows = conn.execute(
        """
        SELECT run_id, model, data_version, status, n_tasks, n_scored, n_calls, n_cache_hits, n_failures,
               n_unscored, cost_estimate, mlflow_run_id
        FROM core.model_run WHERE run_id = ANY(%s) ORDER BY array_position(%s, run_id)
        """,
        [run_ids, run_ids],
    ).fetchall()
    return [
        RunSummary(
            run_id=r[0],
            model=r[1],
            data_version=r[2],
            status=r[3],
            reused=r[0] in reused,
            resumed=r[0] in resumed,
            n_tasks=r[4],
            n_scored=r[5],
            n_calls=r[6],
            n_cache_hits=r[7],
            n_failures=r[8],
            n_unscored=r[9],
            cost_estimate=float(r[10]),
            mlflow_run_id=r[11],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class ScoringRequest:
    """What to score: the tasks of `data_version` (all, the `top_n` heaviest or a `sample` drawn with
    `seed`) with each of `models` (None: the config's defaults), within `budget_usd`; `batch` sends the
    LLM calls as provider batches; `new_run` opens new runs even where an identical one completed."""

    data_version: str
    models: list[str] | None = None
    top_n: int | None = None
    sample: int | None = None
    seed: int = 0
    budget_usd: float | None = None
    batch: bool = False
    new_run: bool = False

    def __post_init__(self) -> None:
        if self.budget_usd is not None and self.budget_usd < 0:
            raise ValueError(f"budget_usd must be >= 0, got {self.budget_usd}")


@dataclass(frozen=True)
class ScoringEnvironment:
    """What a scoring run works with. Each default is the process environment's: `settings` (API keys, the
    scoring override file), `config` (models and prompt version, from the settings' file), `providers`
    (by model name, replacing those built from the config), `mlflow_store`; `sleep` is what retries and
    batch polling wait with; `track=False` skips MLflow. The Dagster asset passes its resources'."""

    settings: Settings | None = None
    config: ScoringConfig | None = None
    providers: dict[str, Provider] | None = None
    progress: ProgressCallback | None = None
    sleep: Callable[[float], None] = time.sleep
    track: bool = True
    mlflow_store: MlflowStore | None = None


@dataclass(frozen=True)
class _Plan:
    """A request resolved against its environment: the models, the tasks and how to reach each rater."""

    config: ScoringConfig
    models: list[ModelConfig]
    tasks: list[CatalogTask]
    selection: str
    secrets: list[str]
    llm_providers: dict[str, Provider]
    labelset: published.Labelset | None


def _plan(conn: psycopg.Connection, request: ScoringRequest, env: ScoringEnvironment) -> _Plan:
    settings = env.settings or get_settings()
    config = env.config or load_scoring_config(settings.scoring_config)
    models = resolve_models(config, request.models, settings)
    tasks = select_tasks(
        conn, request.data_version, top_n=request.top_n, sample=request.sample, seed=request.seed
    )
    llm_providers = {
        m.name: (env.providers or {}).get(m.name) or build_provider(m, settings) for m in models if m.is_llm
    }
    labelset = None
    if any(not m.is_llm for m in models):
        labelset = published.load_labelset(published.labelset_path(config.published, settings))
    return _Plan(
        config, models, tasks, selection_hash(tasks), secret_values(settings), llm_providers, labelset
    )


def _open_runs(conn: psycopg.Connection, request: ScoringRequest, plan: _Plan) -> list[RunState]:
    """A run per model: resumed or reused when one with the same identity exists, else new."""
    base_params = {
        "top_n": request.top_n,
        "sample": request.sample,
        "seed": request.seed,
        "task_ids_selected": len(plan.tasks),
    }
    runs = []
    for m in plan.models:
        if m.is_llm:
            identity = {
                "model_version": m.model_version,
                "prompt_version": plan.config.prompt_version,
                "mode": "batch" if request.batch else "online",
                "params": {**base_params, "model": _public_model_params(m)},
            }
        else:
            identity = {
                "model_version": plan.labelset.model_version,
                "prompt_version": published.MAPPING_VERSION,
                "mode": "published",
                "params": {
                    **base_params,
                    "model": _public_model_params(m),
                    "labelset": {"file": plan.labelset.path.name, "sha256": plan.labelset.sha256},
                },
            }
        runs.append(
            _open_run(
                conn,
                m,
                data_version=request.data_version,
                tasks=plan.tasks,
                selection=plan.selection,
                top_n=request.top_n,
                sample=request.sample,
                budget_usd=request.budget_usd,
                new_run=request.new_run,
                **identity,
            )
        )
    return runs


def _score_runs(
    conn: psycopg.Connection,
    active: list[RunState],
    request: ScoringRequest,
    plan: _Plan,
    env: ScoringEnvironment,
) -> None:
    """Score every task of the runs that are not reused, then close them; an interruption marks them so."""
    budget = BudgetGuard(request.budget_usd)
    try:
        for run in active:
            if not run.model.is_llm:
                _score_published(conn, run, plan.labelset)
        llm_runs = [r for r in active if r.model.is_llm]
        if llm_runs:
            _score_llm(
                conn,
                llm_runs,
                {r.run_id: plan.llm_providers[r.model.name] for r in llm_runs},
                plan.config,
                budget,
                batch=request.batch,
                secrets=plan.secrets,
                sleep=env.sleep,
                progress=env.progress,
            )
    except BaseException as exc:
        for run in active:
            _mark_interrupted(conn, run, exc, plan.secrets)
        raise
    for run in active:
        _finish_run(conn, run)


def _track(
    conn: psycopg.Connection,
    runs: list[RunState],
    active: list[RunState],
    request: ScoringRequest,
    plan: _Plan,
    env: ScoringEnvironment,
) -> None:
    """One MLflow run for the invocation, its id kept on the runs it scored."""
    from occurisk_assets.scoring.tracking import log_scoring_run

    mlflow_run_id = log_scoring_run(
        conn,
        runs,
        config=plan.config,
        data_version=request.data_version,
        top_n=request.top_n,
        sample=request.sample,
        budget_usd=request.budget_usd,
        batch=request.batch,
        store=env.mlflow_store,
    )
    if mlflow_run_id:
        conn.execute(
            "UPDATE core.model_run SET mlflow_run_id = %s WHERE run_id = ANY(%s)",
            [mlflow_run_id, [r.run_id for r in active]],
        )
        conn.commit()


def run_scoring(
    conn: psycopg.Connection, request: ScoringRequest, env: ScoringEnvironment | None = None
) -> list[RunSummary]:
    """Score what `request` asks (see the module docstring): plan, open a run per model (holding each
    model's lock), score and close the runs, track them in MLflow, and summarise them."""
    env = env or ScoringEnvironment()
    plan = _plan(conn, request, env)
    with _model_locks(conn, [m.name for m in plan.models]):
        runs = _open_runs(conn, request, plan)
        active = [r for r in runs if not r.reused]
        _score_runs(conn, active, request, plan, env)
    if env.track and active:
        _track(conn, runs, active, request, plan, env)
    return load_summaries(
        conn,
        [r.run_id for r in runs],
        reused={r.run_id for r in runs if r.reused},
        resumed={r.run_id for r in runs if r.resumed},
    )
