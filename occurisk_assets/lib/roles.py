"""Database roles and their secrets.

The platform never connects as a superuser. Each part has a role of its own:

- `occurisk` (owner): the pipeline, dbt, migrations, the CLI — owns the platform database and its tables;
- `occurisk_api` (read only): the API — SELECT on what it serves (the marts, among them the BLS view
  marts.soc_bls_metrics; the version registry and diff reports, the scores and their runs, the careers and
  postings tables, the O*NET text embeddings of `meaning`) and nothing else: no INSERT/UPDATE/DELETE/CREATE/TEMP, so switching its session to
  read-write changes nothing;
- `occurisk_assistant` (no login of its own): the only writer of the `assistant` schema (migration 0009 makes
  the schema and its grants);
- `occurisk_dagster`, `occurisk_mlflow`: own the `dagster` and `mlflow` databases, nothing in the platform's.

On the local server each role's password is generated once (at initdb) and kept in a libpq password file,
OCCURISK_HOME/secrets/<role>.pgpass (0600, in a 0700 folder); connection URLs name the file
(`?passfile=...`), never the password, so a URL can be printed or logged. docs/operations.md shows the same
roles on a managed server.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql

SUPERUSER = "postgres"
OWNER = "occurisk"
API = "occurisk_api"
DAGSTER = "occurisk_dagster"
MLFLOW = "occurisk_mlflow"
# No login of its own on the local server: the API's assistant pool switches the owner's sessions to it.
ASSISTANT = "occurisk_assistant"
LOGIN_ROLES = (OWNER, API, DAGSTER, MLFLOW)

# What the API reads outside the marts schema (everything in marts is served); core.data_generation is read
# by the response cache on every request (api/cache.py).
API_TABLES = (
    "core.data_version",
    "core.version_diff",
    "core.model_run",
    "core.task_ai_score",
    "core.data_generation",
    "core.occupation_korean_term",
    # Read by the API's /metrics collector, api/platform_metrics.py (migration 0017): the provider calls and
    # failures per model, the coder's held-out and live accuracy per version. The views aggregate with their
    # owner's rights: the API role reads counts, never a prompt, an answer or a person's label.
    "core.llm_call_totals",
    "core.scoring_failure_totals",
    "core.coder_evaluation",
    "core.coder_live_accuracy",
)
# Schemas whose every table (made by the migrations or, in marts, by dbt, as the owner) the API may read.
API_SCHEMAS = ("marts", "careers", "postings", "meaning")


def passfile(secrets_dir: Path, role: str) -> Path:
    return secrets_dir / f"{role}.pgpass"


def read_password(secrets_dir: Path, role: str) -> str:
    return passfile(secrets_dir, role).read_text().strip().rsplit(":", 1)[1]


def ensure_secrets(secrets_dir: Path, roles=(SUPERUSER, *LOGIN_ROLES)) -> None:
    """A generated password per role, written once: 0600 files in a 0700 folder (libpq ignores a password
    file others can read)."""
    secrets_dir.mkdir(parents=True, exist_ok=True)
    secrets_dir.chmod(0o700)
    for role in roles:
        path = passfile(secrets_dir, role)
        if path.exists():
            continue
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            # host:port:database:user:password — any host, port and database of this cluster.
            out.write(f"*:*:*:{role}:{secrets.token_urlsafe(32)}\n")


def url_user(url: str) -> str | None:
    return urlsplit(url).username


def url_passfile(url: str) -> str | None:
    return dict(parse_qsl(urlsplit(url).query)).get("passfile")


def role_url(url: str, role: str) -> str:
    """`url` for another role of the same server. Only URLs that name a password file (the local server's)
    can be derived; any other URL is returned as it is — set that role's URL explicitly
    (OCCURISK_API_DATABASE_URL, ...)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if "passfile" not in query:
        return url
    query["passfile"] = str(Path(query["passfile"]).with_name(f"{role}.pgpass"))
    host = parts.hostname or "127.0.0.1"
    netloc = f"{role}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query)))


def redact(url: str) -> str:
    """The URL without its password, if it carries one (for messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def ensure_login_roles(admin: psycopg.Connection, secrets_dir: Path) -> None:
    """Create (or re-key from the password files) the platform's roles, as a superuser."""
    existing = {r[0] for r in admin.execute("SELECT rolname FROM pg_roles")}
    for role in LOGIN_ROLES:
        verb = "ALTER" if role in existing else "CREATE"
        admin.execute(
            sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION PASSWORD {}").format(
                sql.SQL(verb), sql.Identifier(role), sql.Literal(read_password(secrets_dir, role))
            )
        )
    if ASSISTANT not in existing:
        admin.execute(
            sql.SQL("CREATE ROLE {} NOLOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION").format(
                sql.Identifier(ASSISTANT)
            )
        )
    admin.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(ASSISTANT), sql.Identifier(OWNER)))
    # The owner creates the databases of test sessions and may end connections to a database it drops.
    admin.execute(sql.SQL("ALTER ROLE {} CREATEDB").format(sql.Identifier(OWNER)))
    admin.execute(sql.SQL("GRANT pg_signal_backend TO {}").format(sql.Identifier(OWNER)))
    # A read-only default for the API's sessions; what really stops writes is that it holds no privilege to.
    admin.execute(sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(sql.Identifier(API)))


def ensure_database(admin: psycopg.Connection, name: str, owner: str) -> None:
    found = admin.execute(
        "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", (name,)
    ).fetchone()
    if found is None:
        admin.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(owner))
        )
    elif found[0] != owner:  # made before the roles existed
        admin.execute(
            sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(name), sql.Identifier(owner))
        )
    # Nobody but the owner (and those granted below) may connect or make temporary tables.
    admin.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(name)))


def adopt_objects(conn: psycopg.Connection, owner: str) -> int:
    """Give `owner` every schema, table, view, sequence and function of the database `conn` is on (as a
    superuser) that another role owns: a database made before the roles existed (everything the
    superuser's) becomes the role's. Returns how many objects changed owner."""
    user_schemas = "n.nspname NOT LIKE 'pg\\_%%' AND n.nspname <> 'information_schema'"
    role = sql.Identifier(owner)
    changed = 0
    for (schema,) in conn.execute(
        f"""SELECT n.nspname FROM pg_namespace n
            WHERE {user_schemas} AND pg_get_userbyid(n.nspowner) NOT IN (%s, 'pg_database_owner')""",
        (owner,),
    ).fetchall():
        conn.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(sql.Identifier(schema), role))
        changed += 1
    kinds = {
        "r": "TABLE",
        "p": "TABLE",
        "f": "FOREIGN TABLE",
        "v": "VIEW",
        "m": "MATERIALIZED VIEW",
        "S": "SEQUENCE",
    }
    # Identity and serial sequences follow their table; altering them directly is an error.
    relations = conn.execute(
        f"""SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {user_schemas} AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
              AND pg_get_userbyid(c.relowner) <> %s
              AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid
                       AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
            ORDER BY c.relkind = 'S', n.nspname, c.relname""",
        (owner,),
    ).fetchall()
    for schema, name, kind in relations:
        conn.execute(
            sql.SQL("ALTER {} {} OWNER TO {}").format(
                sql.SQL(kinds[kind]), sql.Identifier(schema, name), role
            )
        )
        changed += 1
    for (signature,) in conn.execute(
        f"""SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE {user_schemas} AND pg_get_userbyid(p.proowner) <> %s""",
        (owner,),
    ).fetchall():
        conn.execute(sql.SQL("ALTER ROUTINE {} OWNER TO {}").format(sql.SQL(signature), role))
        changed += 1
    return changed


def role_exists(conn: psycopg.Connection, role: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None


def grant_api_access(conn: psycopg.Connection, api_role: str) -> None:
    """The API role's privileges in the platform database (run by `occurisk db migrate`, as the owner, after
    the migrations: the role's name is the deployment's, OCCURISK_API_DATABASE_URL)."""
    role = sql.Identifier(api_role)
    database = sql.Identifier(conn.info.dbname)
    conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(database))
    conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, role))
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA core, marts, careers, postings, meaning TO {}").format(role))
    # The BLS figures are served through marts.soc_bls_metrics (a view reads with its owner's rights).
    conn.execute(sql.SQL("REVOKE ALL ON SCHEMA bls FROM {}").format(role))
    conn.execute(sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA bls REVOKE ALL ON TABLES FROM {}").format(role))
    # In core, exactly API_TABLES: what an older grant gave (core.llm_call before migration 0017) goes.
    conn.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA core FROM {}").format(role))
    for table in API_TABLES:
        schema, name = table.split(".")
        if conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()[0]:
            conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(sql.Identifier(schema, name), role))
    conn.execute(
        sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA marts, careers, postings, meaning TO {}").format(role)
    )
    for schema in API_SCHEMAS:
        conn.execute(
            sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT ON TABLES TO {}").format(
                sql.Identifier(schema), role
            )
        )


def unreadable_api_tables(conn: psycopg.Connection, api_role: str) -> list[str]:
    """The tables the API reads (API_TABLES that exist, every table of API_SCHEMAS) that `api_role` may not
    SELECT."""
    return [
        table
        for (table,) in conn.execute(
            """SELECT format('%%I.%%I', n.nspname, c.relname) FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
                 AND (n.nspname = ANY(%s) OR c.oid = ANY(ARRAY(SELECT to_regclass(t) FROM unnest(%s::text[]) t)))
                 AND NOT has_table_privilege(%s, c.oid, 'SELECT')
               ORDER BY 1""",
            (list(API_SCHEMAS), list(API_TABLES), api_role),
        ).fetchall()
    ]
