"""schema.org JobPosting → one flat record, whatever the source (JSON-LD on a page, a JSON Lines or CSV
file, the USAJOBS API). Nested schema.org values (Organization, Place, MonetaryAmount, PropertyValue) are
flattened to the text a person reads; the record as received is kept whole in `raw`."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from occurisk_assets.lib.clean_text import text_problem

JOB_POSTING_FIELDS = (
    "title",
    "description",
    "hiringOrganization",
    "jobLocation",
    "datePosted",
    "validThrough",
    "employmentType",
    "baseSalary",
    "url",
    "identifier",
)


@dataclass
class PostingRecord:
    source: str  # 'file', 'crawl' or 'usajobs'
    source_key: str  # unique within the source: re-receiving the same key updates, never duplicates
    raw: dict[str, Any]
    origin: str | None = None  # the file:line, page URL or API query it came from
    title: str | None = None
    description_html: str | None = None
    hiring_organization: str | None = None
    job_location: str | None = None
    date_posted: str | None = None
    valid_through: str | None = None
    employment_type: str | None = None
    base_salary: dict | None = None
    url: str | None = None
    identifier: str | None = None
    duties: list[str] = field(default_factory=list)  # listed duties when the source names them

    @property
    def raw_sha256(self) -> str:
        return hashlib.sha256(json.dumps(self.raw, sort_keys=True, default=str).encode()).hexdigest()


# Deeper nesting is no posting (schema.org's own nests a few levels); PostgreSQL's jsonb has a stack limit.
MAX_DEPTH = 64
TOO_DEEP = f"nests JSON deeper than {MAX_DEPTH} levels"


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is too large")
    return value


def storage_problem(value: Any) -> str | None:
    """What in `value` (keys included) PostgreSQL text and jsonb cannot store: a NUL character, an unpaired
    surrogate, nesting deeper than MAX_DEPTH. Walked without recursion, however deep."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if problem := text_problem(item):
                return problem
        elif isinstance(item, dict | list):
            if depth == MAX_DEPTH:
                return TOO_DEEP
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return None


def load_json(text: str, *, strict: bool = True) -> Any:
    """JSON that the postings tables can store: a ValueError saying what is wrong for NaN or Infinity, a
    number too large for a float, a NUL character, an unpaired surrogate or nesting too deep
    (json.JSONDecodeError for JSON that does not parse). Python's json would accept all but the last, and
    PostgreSQL would then refuse the whole transaction."""
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_float=_finite, strict=strict)
    except RecursionError:
        raise ValueError(TOO_DEEP) from None
    if problem := storage_problem(data):
        raise ValueError(problem)
    return data


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        parts = [t for t in (_text(v) for v in value) if t]
        return ", ".join(parts) or None
    if isinstance(value, dict):
        for key in ("name", "value", "@value", "text"):
            if value.get(key):
                return _text(value[key])
        return None
    text = str(value).strip()
    return text or None


def _location(value: Any) -> str | None:
    if isinstance(value, list):
        parts = [t for t in (_location(v) for v in value) if t]
        return "; ".join(dict.fromkeys(parts)) or None
    if isinstance(value, dict):
        address = value.get("address", value)
        if isinstance(address, dict):
            parts = [
                _text(address.get(k))
                for k in ("addressLocality", "addressRegion", "addressCountry")
                if address.get(k)
            ]
            if parts:
                return ", ".join(p for p in parts if p)
        return _text(address) if not isinstance(address, dict) else _text(value.get("name"))
    return _text(value)


def _salary(value: Any) -> dict | None:
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        amount = value.get("value")
        out = {"currency": value.get("currency")}
        if isinstance(amount, dict):
            out |= {
                "min": amount.get("minValue"),
                "max": amount.get("maxValue"),
                "value": amount.get("value"),
                "unit": amount.get("unitText"),
            }
        else:
            out["value"] = amount
        return {k: v for k, v in out.items() if v not in (None, "")} or None
    return {"text": str(value)}


def _identifier(value: Any) -> str | None:
    if isinstance(value, dict):
        name, val = _text(value.get("name")), _text(value.get("value"))
        return f"{name}:{val}" if name and val else val or name
    return _text(value)


def _duties(value: Any) -> list[str]:
    if isinstance(value, list):
        return [t for t in (_text(v) for v in value) if t]
    return []


def is_job_posting(obj: Any) -> bool:
    kind = obj.get("@type") if isinstance(obj, dict) else None
    return kind == "JobPosting" or (isinstance(kind, list) and "JobPosting" in kind)


def from_job_posting(obj: dict, source: str, source_key: str, origin: str | None = None) -> PostingRecord:
    """A record from a schema.org JobPosting object (JSON-LD, or a file row with the same field names).
    `responsibilities` given as a list are the posting's listed duties."""
    return PostingRecord(
        source=source,
        source_key=source_key,
        raw=obj,
        origin=origin,
        title=_text(obj.get("title")),
        description_html=_text(obj.get("description")),
        hiring_organization=_text(obj.get("hiringOrganization")),
        job_location=_location(obj.get("jobLocation")),
        date_posted=_text(obj.get("datePosted")),
        valid_through=_text(obj.get("validThrough")),
        employment_type=_text(obj.get("employmentType")),
        base_salary=_salary(obj.get("baseSalary")),
        url=_text(obj.get("url")),
        identifier=_identifier(obj.get("identifier")),
        duties=_duties(obj.get("responsibilities")),
    )


def natural_key(obj: dict) -> str | None:
    """The key a posting carries itself: its identifier, else its URL."""
    ident = _identifier(obj.get("identifier"))
    if ident:
        return f"id:{ident}"
    url = _text(obj.get("url"))
    return f"url:{url}" if url else None
