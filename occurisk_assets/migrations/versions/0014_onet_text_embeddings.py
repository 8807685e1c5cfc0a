"""The meaning vectors of one O*NET release's texts (occurisk_assets/text/embeddings.py writes them per
data_version): occupation titles, alternate and reported titles, task statements and DWAs, each with the
model that made it; and one row per build. In their own schema `meaning`, which the API role reads
(occurisk_assets/lib/roles.py).

Revision ID: 0014
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

DDL = """
CREATE SCHEMA IF NOT EXISTS meaning;
-- One row per text of the release: `item_no` orders the rows of a source as the release lists them;
-- `embedding` is the unit-length vector as little-endian float16 (2 bytes a dimension).
CREATE TABLE IF NOT EXISTS meaning.onet_text_embedding (
    data_version    text NOT NULL,
    source          text NOT NULL CHECK (source IN ('title', 'alternate_title', 'reported_title', 'task', 'dwa')),
    item_no         integer NOT NULL CHECK (item_no >= 1),
    onetsoc_code    text,
    item_id         text,
    text            text NOT NULL,
    model_name      text NOT NULL,
    model_version   text NOT NULL,
    embedding       bytea NOT NULL,
    PRIMARY KEY (data_version, source, item_no)
);
-- One row per data_version: the model, how many texts of each source (0 where the release lacks the file),
-- how many distinct texts were encoded, how long it took.
CREATE TABLE IF NOT EXISTS meaning.embedding_build (
    data_version    text PRIMARY KEY,
    model_name      text NOT NULL,
    model_version   text NOT NULL,
    dimensions      integer NOT NULL,
    counts          jsonb NOT NULL,
    distinct_texts  integer NOT NULL,
    seconds         double precision NOT NULL,
    built_at        timestamptz NOT NULL DEFAULT now()
);
"""


def upgrade() -> None:
    run_sql(op, DDL)


def downgrade() -> None:
    run_sql(op, "DROP SCHEMA IF EXISTS meaning CASCADE")
