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
# What clean_parameters accepts, said in the OpenAPI document for every text parameter without a pattern of its
# own: a client (or schemathesis) reading the schema knows a NUL or a lone surrogate is refused.
STORABLE_TEXT_PATTERN = "^[^\\u0000\\ud800-\\udfff]*$"
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


def _constrain_text(schema: dict) -> None:
    for variant in schema.get("anyOf", [schema]):
        if variant.get("type") == "string" and "pattern" not in variant and "format" not in variant:
            variant["pattern"] = STORABLE_TEXT_PATTERN


def document_clean_parameters(openapi: dict) -> dict:
    """The OpenAPI document with clean_parameters' rule on every text query and path parameter."""
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") in ("query", "path"):
                    _constrain_text(parameter.get("schema", {}))
    return openapi
