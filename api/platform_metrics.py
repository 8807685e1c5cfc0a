"""The platform's metrics read from PostgreSQL at each scrape of /metrics: release builds and what changed
(rows, score drift), LLM provider calls, postings collection and the posting mix's drift, the coder's held-out
and live accuracy per model version.

Why a collector in the API rather than an exporter process: these facts already live in PostgreSQL (the
pipeline writes them as it runs, whichever process ran it), the API is the one process `make run` always
keeps up, and one scrape target means one thing to deploy and one `up` to alert on. Each scrape reads a few
aggregates over indexed tables (with a statement timeout): no state is kept here, and a database that cannot
be read gives `occurisk_platform_metrics_up 0` instead of a failed scrape.
"""

from __future__ import annotations

import psycopg
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from occurisk_assets.lib import db
from occurisk_assets.lib.scraped import read_or_down

STATEMENT_TIMEOUT_MS = 2000

RELEASE_BUILDS = "SELECT build_status AS status, count(*) AS n FROM core.data_version GROUP BY 1"
LLM_CALLS = "SELECT model, calls, input_tokens, output_tokens, cost_usd, retries FROM core.llm_call_totals"
LLM_FAILURES = "SELECT model, failures FROM core.scoring_failure_totals"
# Per source (the seed's host): each URL fetched, by outcome; robots.txt refusals apart from other skips.
POSTINGS_FETCHES = """
SELECT split_part(r.seed_url, '/', 3) AS source,
       CASE WHEN u.outcome = 'skipped' AND u.reason ILIKE '%robots%' THEN 'robots_blocked'
            ELSE u.outcome END AS outcome,
       count(*) AS n
FROM postings.crawl_url u JOIN postings.crawl_run r USING (crawl_id)
WHERE u.state = 'done' GROUP BY 1, 2"""

# What changed from the previous release (core.version_diff, defs/lifecycle/diff.py): rows, and the shift of
# the task-score distribution (KS, JS); the posting mix against its baseline day (postings.mix_drift).
RELEASE_DIFFS = """
SELECT data_version, tasks_added, tasks_removed, occupations_added, occupations_removed,
       task_score_ks, task_score_js
FROM core.version_diff"""
LATEST_MIX_DRIFT = """
SELECT exposure_ks, exposure_js, group_js FROM postings.mix_drift ORDER BY day DESC LIMIT 1"""
# The coder per registered version: held-out accuracy (written when trained) and live accuracy (the
# occupations people confirmed or corrected, aggregated by the view core.coder_live_accuracy).
CODER_HELD_OUT = "SELECT model_version, heldout_top1, heldout_top3 FROM core.coder_evaluation"
CODER_LIVE = "SELECT model_version, labels, top1, top3 FROM core.coder_live_accuracy"


class PlatformCollector:
    """A prometheus-client custom collector (collect() is called at each scrape)."""

    def collect(self):
        return read_or_down("platform metrics", "occurisk_platform_metrics_up", self._read, psycopg.Error)

    def _read(self):
        # As the API's own read-only role, like every other query of the API.
        with db.connect(db.api_database_url(), connect_timeout=2) as conn:
            conn.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
            builds = GaugeMetricFamily(
                "occurisk_release_builds", "O*NET releases by build status", labels=["status"]
            )
            for status, n in conn.execute(RELEASE_BUILDS).fetchall():
                builds.add_metric([status or "unknown"], n)
            calls = CounterMetricFamily(
                "occurisk_llm_calls", "Scoring calls answered, per model", labels=["model"]
            )
            tokens = CounterMetricFamily(
                "occurisk_llm_tokens", "Tokens billed, per model", labels=["model", "direction"]
            )
            cost = CounterMetricFamily(
                "occurisk_llm_cost_usd", "Provider cost in USD, per model", labels=["model"]
            )
            retries = CounterMetricFamily(
                "occurisk_llm_retries", "Paid attempts beyond the first, per model", labels=["model"]
            )
            for model, n, tokens_in, tokens_out, usd, retried in conn.execute(LLM_CALLS).fetchall():
                calls.add_metric([model], n)
                tokens.add_metric([model, "input"], tokens_in)
                tokens.add_metric([model, "output"], tokens_out)
                cost.add_metric([model], float(usd))
                retries.add_metric([model], retried)
            failures = CounterMetricFamily(
                "occurisk_llm_failures", "Tasks a model failed to score, per model", labels=["model"]
            )
            for model, n in conn.execute(LLM_FAILURES).fetchall():
                failures.add_metric([model], n)
            fetches = CounterMetricFamily(
                "occurisk_postings_fetches",
                "Posting URLs fetched, per source and outcome (error, robots_blocked, posting, …)",
                labels=["source", "outcome"],
            )
            for source, outcome, n in conn.execute(POSTINGS_FETCHES).fetchall():
                fetches.add_metric([source, outcome or "unknown"], n)
            changes = GaugeMetricFamily(
                "occurisk_release_changes",
                "Rows added or removed by a release against its baseline",
                labels=["version", "change"],
            )
            drift = GaugeMetricFamily(
                "occurisk_release_drift",
                "Shift of the task-score distribution against the baseline release (KS statistic, JS)",
                labels=["version", "measure"],
            )
            for version, *counts, ks, js in conn.execute(RELEASE_DIFFS).fetchall():
                for change, n in zip(
                    ("tasks_added", "tasks_removed", "occupations_added", "occupations_removed"),
                    counts,
                    strict=True,
                ):
                    changes.add_metric([version, change], n)
                for measure, value in (("ks", ks), ("js", js)):
                    if value is not None:
                        drift.add_metric([version, measure], value)
            mix = GaugeMetricFamily(
                "occurisk_postings_mix_drift",
                "The latest day's posting mix against its baseline (exposure KS and JS, occupation-group JS)",
                labels=["measure"],
            )
            for row in conn.execute(LATEST_MIX_DRIFT).fetchall():
                for measure, value in zip(("exposure_ks", "exposure_js", "group_js"), row, strict=True):
                    if value is not None:
                        mix.add_metric([measure], value)
            held_out = GaugeMetricFamily(
                "occurisk_coder_heldout_accuracy",
                "The coder's accuracy on held-out titles, per registered version (top1, top3)",
                labels=["model_version", "k"],
            )
            for model_version, top1, top3 in conn.execute(CODER_HELD_OUT).fetchall():
                held_out.add_metric([model_version, "top1"], top1)
                held_out.add_metric([model_version, "top3"], top3)
            live = GaugeMetricFamily(
                "occurisk_coder_live_accuracy",
                "Share of coded jobs whose occupation people confirmed (top1) or found among those offered "
                "(top3), per model version",
                labels=["model_version", "k"],
            )
            labels = GaugeMetricFamily(
                "occurisk_coder_live_labels",
                "Occupations people confirmed or corrected, per model version",
                labels=["model_version"],
            )
            for model_version, n, top1, top3 in conn.execute(CODER_LIVE).fetchall():
                live.add_metric([model_version, "top1"], top1)
                live.add_metric([model_version, "top3"], top3)
                labels.add_metric([model_version], n)
        return [
            builds,
            calls,
            tokens,
            cost,
            retries,
            failures,
            fetches,
            changes,
            drift,
            mix,
            held_out,
            live,
            labels,
        ]
