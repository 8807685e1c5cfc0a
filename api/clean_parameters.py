"""Every route's text parameters (query and path), and the pages' form fields, refuse a NUL character and an
unpaired surrogate (occurisk_assets/lib/clean_text.py) before the route reads them: a 422 naming the parameter
for the API, a page saying what to fix for the pages (api/pages/app.py). Request bodies in JSON are checked by
their models' CleanText fields."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from occurisk_assets.lib.clean_text import text_problem

UNSTORABLE_TEXT = "unstorable_text"  # the error's type, for the pages' message
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _refuse(where: str, items: Iterable[tuple[str, object]]) -> None:
    errors = [
        {"type": UNSTORABLE_TEXT, "loc": (where, name), "msg": f"{name} {problem}"}
        for name, value in items
        if isinstance(value, str) and (problem := text_problem(value))
    ]
    if errors:
        raise RequestValidationError(errors)


async def clean_parameters(request: Request) -> None:
    """A dependency of every route (api/main.py)."""
    _refuse("query", request.query_params.multi_items())
    _refuse("path", request.path_params.items())


async def clean_form(request: Request) -> None:
    """A dependency of every page route (api/pages/app.py), after the form token's check (which reads the form)."""
    if request.method != "GET" and request.headers.get("content-type", "").startswith(FORM_TYPES):
        _refuse("body", (await request.form()).multi_items())
