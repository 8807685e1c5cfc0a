"""Dependencies shared by the routes: a pooled read-only connection and the data_version a request serves."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Query, Request
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from api.config import ApiSettings
from api.metrics import POOL_WAIT
from occurisk_assets.lib.codes import SOC_CODE_PATTERN
from occurisk_assets.lib.db import SEARCH_PATH
from occurisk_assets.versions import COMPLETE, SQL_SORT_KEY, VERSION_PATTERN


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
        # A connection handed out is checked first: after a database restart the stale ones are replaced
        # instead of failing the next request with 503.
        check=AsyncConnectionPool.check_connection,
        timeout=settings.api_pool_timeout_s,
        name="occurisk-api",
    )


async def get_connection(request: Request) -> AsyncIterator[AsyncConnection]:
    asked = time.perf_counter()
    async with request.app.state.pool.connection() as conn, conn.transaction():
        POOL_WAIT.observe(time.perf_counter() - asked)
        # One snapshot for all the queries of a request: a rebuild switched in between two of them
        # (lifecycle/rebuild.py) is seen whole or not at all, never half.
        await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield conn


ConnectionDep = Annotated[AsyncConnection, Depends(get_connection)]


async def registered_versions(conn: AsyncConnection) -> list[dict]:
    """Every loaded version with its build status, oldest first (core.version_sort_key)."""
    cur = await conn.execute(
        f"""SELECT id, is_active, build_status FROM core.data_version WHERE loaded_at IS NOT NULL
            ORDER BY {SQL_SORT_KEY.format("id")}"""
    )
    return await cur.fetchall()


async def active_version(conn: AsyncConnection) -> str | None:
    """Read on every request: activating another version takes effect without a restart."""
    return next((row["id"] for row in await registered_versions(conn) if row["is_active"]), None)


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
    versions = await registered_versions(conn)
    complete = [row["id"] for row in versions if row["build_status"] == COMPLETE]
    if version is None:
        active = next((row for row in versions if row["is_active"]), None)
        if active is None:
            raise HTTPException(
                503,
                "no O*NET version is active yet; load one and activate it "
                "(occurisk pipeline, occurisk versions activate VERSION)",
            )
        if active["build_status"] != COMPLETE:
            raise HTTPException(
                503,
                f"the active O*NET {active['id']} is being rebuilt (build status: {active['build_status']})",
            )
        return active["id"]
    found = next((row for row in versions if row["id"] == version), None)
    if found is None:
        known = ", ".join(complete) or "none"
        raise HTTPException(404, f"O*NET version {version!r} is not loaded (served versions: {known})")
    if found["build_status"] != COMPLETE:
        raise VersionNotBuilt(version, found["build_status"], complete)
    return version


class VersionNotBuilt(HTTPException):
    """`?version=` names a loaded version whose build is not complete (building, or failed): 409. The pages
    say which (api/pages/app.py)."""

    def __init__(self, version: str, build_status: str, complete: list[str]):
        super().__init__(
            409,
            f"O*NET version {version!r} is not completely built (build status: {build_status}); "
            f"served versions: {', '.join(complete) or 'none'}",
        )
        self.version, self.build_status = version, build_status


VersionDep = Annotated[str, Depends(served_version)]


# A 6-digit SOC code as a path parameter (the occupations and careers routes).
SocCode = Annotated[
    str,
    Path(
        pattern=SOC_CODE_PATTERN,
        examples=["15-1252"],
        description="6-digit SOC code, e.g. 15-1252 (not an O*NET-SOC code like 15-1252.00).",
    ),
]
