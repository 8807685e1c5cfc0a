"""An occupation as a page needs it (the occupation page, the comparison): the service's answer, or the
page that says what to fix."""

from __future__ import annotations

from psycopg import AsyncConnection

from api.pages.render import PageError
from api.services import occupations
from api.services.errors import NotFound
from occurisk_assets.lib.codes import SOC_CODE


def check_soc(soc: str) -> str:
    if not SOC_CODE.fullmatch(soc):
        raise PageError(400, [("soc", "soc", soc[:20])])
    return soc


async def load_occupation(conn: AsyncConnection, version: str, soc: str) -> dict:
    """The occupation with every task (api/services/occupations.py), or the 400 / 404 page."""
    try:
        return await occupations.with_every_task(conn, version, check_soc(soc))
    except NotFound as exc:
        raise PageError(404, [("soc", "soc_unknown", soc)]) from exc
