"""The postings tables defs/postings writes (docs/postings.md):

- crawl_run:  one row per crawl of a seed URL (running / finished / stopped at --max-pages);
- crawl_url:  every URL a crawl discovered, its state (pending/done) and outcome with a reason: the
              frontier an interrupted crawl resumes from, and the per-URL report;
- page:       the latest fetch of each URL: gzip-compressed body + fetch metadata (status, ETag,
              Last-Modified, headers) for conditional re-crawls;
- posting:    every job posting received (file, crawl, USAJOBS), unique by (source, source_key), with the
              cleaning outcome (accepted / rejected with reason / duplicate of) and its coding;
- posting_occupation, posting_duty: the top-3 SOC codes of a posting and its duties matched to O*NET tasks;
- mix_drift:  the day-over-day report of the posting mix.

IF NOT EXISTS: a database whose tables the postings code made before this migration is adopted as it is.

Revision ID: 0008
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

DDL = """
CREATE TABLE IF NOT EXISTS postings.crawl_run (
    crawl_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seed_url      text NOT NULL,
    user_agent    text NOT NULL,
    delay_s       double precision NOT NULL,
    max_pages     integer,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    status        text NOT NULL CHECK (status IN ('running', 'finished', 'stopped_max_pages', 'refused')),
    note          text
);
-- At most one unfinished crawl per seed: the next `crawl` of that seed resumes it.
CREATE UNIQUE INDEX IF NOT EXISTS crawl_run_one_running ON postings.crawl_run (seed_url)
    WHERE status = 'running';

CREATE TABLE IF NOT EXISTS postings.crawl_url (
    crawl_id       bigint NOT NULL REFERENCES postings.crawl_run ON DELETE CASCADE,
    url            text NOT NULL,
    depth          integer NOT NULL,
    seq            bigint GENERATED ALWAYS AS IDENTITY,
    state          text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
    outcome        text CHECK (outcome IN ('posting', 'listing', 'sitemap', 'not_modified', 'skipped', 'error')),
    reason         text,
    http_status    integer,
    n_requests     integer NOT NULL DEFAULT 0,
    n_postings     integer NOT NULL DEFAULT 0,
    fetched_at     timestamptz,
    PRIMARY KEY (crawl_id, url)
);
CREATE INDEX IF NOT EXISTS crawl_url_pending ON postings.crawl_url (crawl_id, seq) WHERE state = 'pending';

CREATE TABLE IF NOT EXISTS postings.page (
    url              text PRIMARY KEY,
    host             text NOT NULL,
    first_fetched_at timestamptz NOT NULL DEFAULT now(),
    last_fetched_at  timestamptz NOT NULL DEFAULT now(),
    last_checked_at  timestamptz NOT NULL DEFAULT now(),
    http_status      integer NOT NULL,
    content_type     text,
    etag             text,
    last_modified    text,
    n_bytes          integer NOT NULL,
    sha256           text NOT NULL,
    content_gz       bytea NOT NULL,
    headers          jsonb NOT NULL,
    elapsed_ms       integer
);

CREATE TABLE IF NOT EXISTS postings.posting (
    posting_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source              text NOT NULL CHECK (source IN ('file', 'crawl', 'usajobs')),
    source_key          text NOT NULL,
    collected_on        date NOT NULL,
    first_seen_at       timestamptz NOT NULL DEFAULT now(),
    last_seen_at        timestamptz NOT NULL DEFAULT now(),
    origin              text,
    raw                 jsonb NOT NULL,
    raw_sha256          text NOT NULL,
    title               text,
    description_html    text,
    hiring_organization text,
    job_location        text,
    date_posted         text,
    valid_through       text,
    employment_type     text,
    base_salary         jsonb,
    url                 text,
    identifier          text,
    duties              text[],
    status              text NOT NULL DEFAULT 'new'
                        CHECK (status IN ('new', 'accepted', 'rejected', 'duplicate')),
    reason              text,
    duplicate_of        bigint REFERENCES postings.posting ON DELETE SET NULL,
    description         text,
    language            text,
    content_sha256      text,
    minhash             bytea,
    cleaned_at          timestamptz,
    coding_status       text CHECK (coding_status IN ('coded', 'not_english', 'no_active_version')),
    data_version        text,
    coder_version       text,
    soc_code            text,
    confidence          double precision,
    low_confidence      boolean,
    ai_score            double precision,
    coded_at            timestamptz,
    search              tsvector GENERATED ALWAYS AS (
                            to_tsvector('english', coalesce(title, '') || ' ' || coalesce(description, ''))
                        ) STORED,
    UNIQUE (source, source_key)
);
CREATE INDEX IF NOT EXISTS posting_day ON postings.posting (collected_on, status);
CREATE INDEX IF NOT EXISTS posting_content ON postings.posting (content_sha256) WHERE status = 'accepted';
CREATE INDEX IF NOT EXISTS posting_soc ON postings.posting (soc_code) WHERE status = 'accepted';
CREATE INDEX IF NOT EXISTS posting_search ON postings.posting USING gin (search);

CREATE TABLE IF NOT EXISTS postings.posting_occupation (
    posting_id  bigint NOT NULL REFERENCES postings.posting ON DELETE CASCADE,
    rank        smallint NOT NULL CHECK (rank BETWEEN 1 AND 3),
    soc_code    text NOT NULL,
    title       text,
    confidence  double precision NOT NULL,
    ai_score    double precision,
    PRIMARY KEY (posting_id, rank)
);

CREATE TABLE IF NOT EXISTS postings.posting_duty (
    posting_id      bigint NOT NULL REFERENCES postings.posting ON DELETE CASCADE,
    duty_no         smallint NOT NULL,
    duty            text NOT NULL,
    task_id         integer,
    task_statement  text,
    onetsoc_code    text,
    similarity      double precision NOT NULL,
    ai_score        double precision,
    PRIMARY KEY (posting_id, duty_no)
);

CREATE TABLE IF NOT EXISTS postings.mix_drift (
    day           date PRIMARY KEY,
    baseline_day  date,
    created_at    timestamptz NOT NULL DEFAULT now(),
    n_day         integer NOT NULL,
    n_baseline    integer NOT NULL,
    exposure_ks   double precision,
    exposure_js   double precision,
    group_js      double precision,
    report        jsonb NOT NULL,
    markdown      text NOT NULL
);
"""


def upgrade() -> None:
    run_sql(op, DDL)


def downgrade() -> None:
    run_sql(
        op,
        "DROP TABLE postings.mix_drift, postings.posting_duty, postings.posting_occupation, postings.posting, "
        "postings.page, postings.crawl_url, postings.crawl_run",
    )
