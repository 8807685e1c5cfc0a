"""schema.org JobPosting → one flat record, whatever the source (JSON-LD on a page, a JSON Lines or CSV
file, the USAJOBS API). Nested schema.org values (Organization, Place, MonetaryAmount, PropertyValue) are
flattened to the text a person reads; the record as received is kept whole in `raw`."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

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


NUL_CHARACTER = "contains a NUL character (\\u0000), which cannot be stored"


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is too large")
    return value


def has_nul(value: Any) -> bool:
    """Whether a NUL character is anywhere in `value` (keys included): PostgreSQL text and jsonb cannot
    hold one."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


def load_json(text: str, *, strict: bool = True) -> Any:
    """JSON that the postings tables can store: a ValueError saying what is wrong for NaN or Infinity, a
    number too large for a float, or a NUL character (json.JSONDecodeError for JSON that does not parse).
    Python's json would accept the first three, and PostgreSQL would then refuse the whole transaction."""
    data = json.loads(text, parse_constant=_no_constant, parse_float=_finite, strict=strict)
    if has_nul(data):
        raise ValueError(NUL_CHARACTER)
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
