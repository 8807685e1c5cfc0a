"""Text that can be stored and logged: no NUL character (PostgreSQL text and jsonb cannot hold one) and no
unpaired UTF-16 surrogate (JSON allows an escape such as \\ud800, but it is no Unicode character: it cannot
be written as UTF-8). One check for every text a person or a file sends: the API's fields and parameters,
the pages' forms and the imported postings. Its messages never quote the text."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

NUL_CHARACTER = "contains a NUL character (\\u0000), which cannot be stored"
UNPAIRED_SURROGATE = "contains an unpaired surrogate (\\ud800-\\udfff), which is not Unicode text"

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(text: str) -> str | None:
    """What makes `text` unstorable (a phrase such as "contains a NUL character …"), or None."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    return NUL_CHARACTER if found.group() == "\x00" else UNPAIRED_SURROGATE


def _clean(text: str) -> str:
    problem = text_problem(text)
    if problem:
        raise ValueError(problem)
    return text


# Every free-text field of a request body: a 422 naming the field, never quoting it (api/errors.py).
CleanText = Annotated[str, AfterValidator(_clean)]
