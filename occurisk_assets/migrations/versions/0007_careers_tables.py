"""The careers tables defs/careers writes per data_version: the similarity of occupations and one row per
build, with the data-generation trigger (the similar-occupations endpoint serves them, so the response cache
must see their writes).

IF NOT EXISTS: a database whose tables the careers build made before this migration is adopted as it is.

Revision ID: 0007
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

DDL = """
-- The K most similar SOCs of each SOC, and the reverse of each such pair (so every pair is stored both
-- ways): the combined similarity, its rank among all of the SOC's neighbours, and each component (NULL
-- where one of the two SOCs lacks that descriptor; one column per name of similarity.COMPONENTS).
CREATE TABLE IF NOT EXISTS careers.occupation_similarity (
    data_version        text NOT NULL,
    soc_code            text NOT NULL,
    similar_soc_code    text NOT NULL,
    similarity          double precision NOT NULL CHECK (similarity BETWEEN 0 AND 1),
    similarity_rank     integer NOT NULL CHECK (similarity_rank >= 1),
    skills              double precision CHECK (skills BETWEEN 0 AND 1),
    knowledge           double precision CHECK (knowledge BETWEEN 0 AND 1),
    abilities           double precision CHECK (abilities BETWEEN 0 AND 1),
    work_activities     double precision CHECK (work_activities BETWEEN 0 AND 1),
    work_context        double precision CHECK (work_context BETWEEN 0 AND 1),
    dwas                double precision CHECK (dwas BETWEEN 0 AND 1),
    technology          double precision CHECK (technology BETWEEN 0 AND 1),
    task_text           double precision CHECK (task_text BETWEEN 0 AND 1),
    onet_related_tier   text CHECK (onet_related_tier IN ('Primary-Short', 'Primary-Long', 'Supplemental')),
    PRIMARY KEY (data_version, soc_code, similar_soc_code),
    CHECK (soc_code <> similar_soc_code)
);
CREATE INDEX IF NOT EXISTS occupation_similarity_by_rank
    ON careers.occupation_similarity (data_version, soc_code, similarity_rank);

-- One row per data_version: which components were used (and their weights), the recall of O*NET's
-- related occupations, how long the build took.
CREATE TABLE IF NOT EXISTS careers.similarity_build (
    data_version        text PRIMARY KEY,
    top_k               integer NOT NULL,
    n_socs              integer NOT NULL,
    n_pairs             integer NOT NULL,
    components          jsonb NOT NULL,
    related_recall      jsonb NOT NULL,
    seconds             double precision NOT NULL,
    built_at            timestamptz NOT NULL DEFAULT now()
);
"""


# The data-generation trigger (0005's function) on both tables, unless a database adopted as it is has it.
TRIGGERS = """DO $$
DECLARE
    watched text;
BEGIN
    FOREACH watched IN ARRAY ARRAY['careers.occupation_similarity', 'careers.similarity_build'] LOOP
        IF NOT EXISTS (
            SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(watched) AND tgname = 'bump_data_generation') THEN
            EXECUTE format('CREATE TRIGGER bump_data_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
                           'FOR EACH STATEMENT EXECUTE FUNCTION core.bump_data_generation()', watched);
        END IF;
    END LOOP;
END $$;"""


def upgrade() -> None:
    run_sql(op, DDL)
    run_sql(op, TRIGGERS)


def downgrade() -> None:
    run_sql(op, "DROP TABLE careers.occupation_similarity; DROP TABLE careers.similarity_build")
