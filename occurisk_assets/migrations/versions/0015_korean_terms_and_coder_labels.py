"""The project's Korean occupation names and everyday words per data_version (loaded by the asset
coder/korean_occupation_terms from occurisk_assets/text/korean_occupations.tsv), and the coder's labels: the
occupation a person confirmed or corrected, with the codes offered, the model version and a hash of the
coded text — never the text itself — so the coder's live accuracy can be reported.

Revision ID: 0015
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

DDL = """
CREATE TABLE IF NOT EXISTS core.occupation_korean_term (
    data_version         text NOT NULL,
    onetsoc_code         text NOT NULL,
    soc_code             text NOT NULL,
    term                 text NOT NULL,
    term_kind            text NOT NULL CHECK (term_kind IN ('name', 'everyday')),
    translation_version  text NOT NULL,
    provenance           text NOT NULL,
    PRIMARY KEY (data_version, onetsoc_code, term)
);
CREATE INDEX IF NOT EXISTS occupation_korean_term_soc ON core.occupation_korean_term (data_version, soc_code);

CREATE TABLE IF NOT EXISTS assistant.coder_label (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at      timestamptz NOT NULL DEFAULT now(),
    data_version    text NOT NULL,
    model_version   text NOT NULL,
    input_sha256    text NOT NULL CHECK (input_sha256 ~ '^[0-9a-f]{16}$'),
    offered_codes   text[] NOT NULL,
    chosen_code     text NOT NULL,
    outcome         text NOT NULL CHECK (outcome IN ('confirmed', 'picked_other_offered', 'corrected'))
);
CREATE INDEX IF NOT EXISTS coder_label_model ON assistant.coder_label (model_version, created_at);
"""


def upgrade() -> None:
    run_sql(op, DDL)


def downgrade() -> None:
    run_sql(
        op, "DROP TABLE IF EXISTS assistant.coder_label; DROP TABLE IF EXISTS core.occupation_korean_term;"
    )
