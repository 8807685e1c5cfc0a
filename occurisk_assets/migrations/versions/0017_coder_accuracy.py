"""The coder's accuracy where the API's /metrics collector can read it (api/platform_metrics.py), as the
API's read-only role: core.coder_evaluation, the held-out accuracy of each registered coder version (written
when the coder is trained, occurisk_assets/coder/training.py; MLflow keeps the same figures beside the model),
and core.coder_live_accuracy, the share of the occupations people confirmed or corrected per model version
(assistant.coder_label, aggregated: a view reads with its owner's rights, so the API role sees the counts and
never the labels' rows); core.llm_call_totals and core.scoring_failure_totals, the provider calls and failures
per model, in place of the tables themselves (prompts, raw answers, error messages).

Revision ID: 0017
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

DDL = """
CREATE TABLE IF NOT EXISTS core.coder_evaluation (
    model_version  text PRIMARY KEY,  -- '<registered model>/<version>', as assistant.coder_label names it
    data_version   text NOT NULL,
    heldout_top1   double precision NOT NULL,
    heldout_top3   double precision NOT NULL,
    heldout_n      integer NOT NULL,
    evaluated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE VIEW core.coder_live_accuracy AS
SELECT model_version, count(*) AS labels,
       avg((outcome = 'confirmed')::int)::float8 AS top1,
       avg((outcome <> 'corrected')::int)::float8 AS top3
FROM assistant.coder_label GROUP BY model_version;

-- The provider calls and scoring failures per model, for the same collector: the tables hold prompts, raw
-- answers and error messages, which the API role must not read.
CREATE OR REPLACE VIEW core.llm_call_totals AS
SELECT model, count(*) AS calls, coalesce(sum(input_tokens), 0) AS input_tokens,
       coalesce(sum(output_tokens), 0) AS output_tokens, coalesce(sum(cost_usd), 0) AS cost_usd,
       coalesce(sum(greatest(paid_attempts - 1, 0)), 0) AS retries
FROM core.llm_call GROUP BY model;
CREATE OR REPLACE VIEW core.scoring_failure_totals AS
SELECT model, count(*) AS failures FROM core.scoring_failure GROUP BY model;
"""


def upgrade() -> None:
    run_sql(op, DDL)


def downgrade() -> None:
    run_sql(
        op,
        "DROP VIEW IF EXISTS core.scoring_failure_totals, core.llm_call_totals, core.coder_live_accuracy; "
        "DROP TABLE IF EXISTS core.coder_evaluation;",
    )
