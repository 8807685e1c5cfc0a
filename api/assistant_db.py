"""The assistant's own connections: the role `occurisk_assistant`, the only writer of the `assistant` schema
(personal data). The read API's pool stays read-only and cannot see that schema."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from api.config import ApiSettings
from occurisk_assets.lib.db import SEARCH_PATH
from occurisk_assets.lib.roles import ASSISTANT as ASSISTANT_ROLE


def make_assistant_pool(owner_url: str, settings: ApiSettings) -> AsyncConnectionPool:
    """Connections as the assistant role: its own URL when configured (OCCURISK_ASSISTANT_DATABASE_URL), else
    the platform URL switched to the role at connection start (the owner is a member of it)."""
    options = [
        f"-c statement_timeout={settings.api_statement_timeout_ms}",
        f"-c search_path={SEARCH_PATH.replace(' ', '')}",
    ]
    url = settings.assistant_database_url
    if url is None:
        url = owner_url
        options.append(f"-c role={ASSISTANT_ROLE}")
    return AsyncConnectionPool(
        url,
        min_size=1,
        max_size=max(2, settings.api_pool_max_size // 2),
        kwargs={"options": " ".join(options), "autocommit": True},
        open=False,
        # As the read pool (api/deps.py): a stale connection left by a database restart is replaced, not used.
        check=AsyncConnectionPool.check_connection,
        timeout=settings.api_pool_timeout_s,
        name="occurisk-assistant",
    )


async def get_assistant_connection(request: Request) -> AsyncIterator[AsyncConnection]:
    pool = getattr(request.app.state, "assistant_pool", None)
    if pool is None:
        raise HTTPException(503, "the assistant's storage is not available")
    async with pool.connection() as conn:
        yield conn


AssistantConnectionDep = Annotated[AsyncConnection, Depends(get_assistant_connection)]
