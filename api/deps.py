"""Dependencies shared by the routes: a pooled read-only connection and the data_version a request serves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from api.config import ApiSettings
from occurisk_assets.db import SEARCH_PATH

VERSION_PATTERN = r"^[0-9A-Za-z._-]{1,20}$"


def make_pool(url: str, settings: ApiSettings) -> AsyncConnectionPool:
    """A pool of connections that cannot write: every transaction is read-only, every query time-limited."""
    options = " ".join(
        [
            "-c default_transaction_read_only=on",
            f"-c statement_timeout={settings.api_statement_timeout_ms}",
            f"-c search_path={SEARCH_PATH.replace(' ', '')}",
        ]
    )
    return AsyncConnectionPool(
        url,
        min_size=settings.api_pool_min_size,
        max_size=max(settings.api_pool_max_size, settings.api_pool_min_size),
        # prepare_threshold=0: every statement is prepared on its first run on a connection; the API runs a
        # few dozen distinct ones, and planning the search costs more than running it.
        kwargs={"options": options, "autocommit": True, "row_factory": dict_row, "prepare_threshold": 0},
        open=False,
        timeout=settings.api_pool_timeout_s,
        name="occurisk-api",
    )


async def get_connection(request: Request) -> AsyncIterator[AsyncConnection]:
    async with request.app.state.pool.connection() as conn:
        yield conn


ConnectionDep = Annotated[AsyncConnection, Depends(get_connection)]


def version_sort_key(version: str) -> tuple:
    """'29.1' < '30.0' < '30.1' < '30.10'; parts that are not numbers sort after numbers, as text."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in version.split("."))


async def loaded_versions(conn: AsyncConnection) -> list[dict]:
    cur = await conn.execute("SELECT id, is_active FROM core.data_version WHERE loaded_at IS NOT NULL")
    return sorted(await cur.fetchall(), key=lambda row: version_sort_key(row["id"]))


async def active_version(conn: AsyncConnection) -> str | None:
    """Read on every request: activating another version takes effect without a restart."""
    return next((row["id"] for row in await loaded_versions(conn) if row["is_active"]), None)


async def served_version(
    conn: ConnectionDep,
    version: Annotated[
        str | None,
        Query(
            pattern=VERSION_PATTERN,
            description="O*NET version to serve, e.g. 30.1 (default: the active version).",
        ),
    ] = None,
) -> str:
    versions = await loaded_versions(conn)
    if version is None:
        active = next((row["id"] for row in versions if row["is_active"]), None)
        if active is None:
            raise HTTPException(
                503,
                "no O*NET version is active yet; load one and activate it "
                "(occurisk pipeline, occurisk versions activate VERSION)",
            )
        return active
    if version not in {row["id"] for row in versions}:
        known = ", ".join(row["id"] for row in versions) or "none"
        raise HTTPException(404, f"O*NET version {version!r} is not loaded (loaded versions: {known})")
    return version


VersionDep = Annotated[str, Depends(served_version)]
