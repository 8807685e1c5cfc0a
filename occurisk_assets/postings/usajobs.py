"""The USAJOBS Search API (https://developer.usajobs.gov/api-reference/get-api-search), the official API of
US federal job announcements. It needs a key and the e-mail address registered with it, sent as the
`Authorization-Key` and `User-Agent` headers (OCCURISK_USAJOBS_API_KEY, OCCURISK_USAJOBS_EMAIL).

Each SearchResultItem's MatchedObjectDescriptor becomes a schema.org-shaped record; its
UserArea.Details.MajorDuties are the posting's listed duties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import psycopg
from pydantic import SecretStr
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from occurisk_assets.postings.records import PostingRecord, from_job_posting
from occurisk_assets.postings.store import store_postings

DEFAULT_BASE_URL = "https://data.usajobs.gov"
RESULTS_PER_PAGE = 250  # the API's maximum is 500
SCHEDULES = {"1": "FULL_TIME", "2": "PART_TIME", "3": "TEMPORARY", "4": "PER_DIEM"}


class UsajobsError(RuntimeError):
    pass


@dataclass
class UsajobsReport:
    query: dict
    pages: int = 0
    items: int = 0
    inserted: int = 0
    seen_again: int = 0
    skipped: list[str] = field(default_factory=list)  # items that could not be read, with why


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code in (429, 500, 502, 503, 504)
    return isinstance(exc, httpx.TransportError)


def to_job_posting(descriptor: dict) -> dict:
    """The MatchedObjectDescriptor in schema.org JobPosting terms (plus the original under `usajobs`)."""
    details = (descriptor.get("UserArea") or {}).get("Details") or {}
    pay = (descriptor.get("PositionRemuneration") or [{}])[0]
    schedule = (descriptor.get("PositionSchedule") or [{}])[0]
    summary = details.get("JobSummary") or descriptor.get("QualificationSummary") or ""
    duties = details.get("MajorDuties") or []
    if isinstance(duties, str):  # documented as Text, served as a list of strings
        duties = [duties]
    description = summary + ("\n<ul>" + "".join(f"<li>{d}</li>" for d in duties) + "</ul>" if duties else "")
    return {
        "@type": "JobPosting",
        "title": descriptor.get("PositionTitle"),
        "description": description,
        "hiringOrganization": {
            "@type": "Organization",
            "name": descriptor.get("OrganizationName") or descriptor.get("DepartmentName"),
        },
        "jobLocation": [
            {"@type": "Place", "address": {"addressLocality": loc.get("LocationName")}}
            for loc in descriptor.get("PositionLocation") or []
        ],
        "datePosted": descriptor.get("PublicationStartDate"),
        "validThrough": descriptor.get("ApplicationCloseDate"),
        "employmentType": SCHEDULES.get(str(schedule.get("Code")), schedule.get("Name")),
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {
                "minValue": pay.get("MinimumRange"),
                "maxValue": pay.get("MaximumRange"),
                "unitText": pay.get("Description") or pay.get("RateIntervalCode"),
            },
        }
        if pay
        else None,
        "url": descriptor.get("PositionURI"),
        "identifier": {"@type": "PropertyValue", "name": "USAJOBS", "value": descriptor.get("PositionID")},
        "responsibilities": duties,
    }


@dataclass
class UsajobsClient:
    api_key: SecretStr
    email: str
    base_url: str = DEFAULT_BASE_URL
    timeout_s: float = 30.0
    attempts: int = 3

    def search_pages(self, query: dict, max_pages: int = 10) -> Iterator[dict]:
        """The JSON of each result page of GET /api/search, following UserArea.NumberOfPages."""
        headers = {
            "Host": httpx.URL(self.base_url).host,
            "User-Agent": self.email,
            "Authorization-Key": self.api_key.get_secret_value(),
        }
        with httpx.Client(base_url=self.base_url, timeout=self.timeout_s, headers=headers) as client:
            page = 1
            while page <= max_pages:
                params = {
                    **query,
                    "Page": page,
                    "ResultsPerPage": query.get("ResultsPerPage", RESULTS_PER_PAGE),
                }
                data = self._get(client, params)
                yield data
                result = data.get("SearchResult") or {}
                n_pages = int((result.get("UserArea") or {}).get("NumberOfPages") or 1)
                if page >= n_pages or not result.get("SearchResultItems"):
                    return
                page += 1

    def _get(self, client: httpx.Client, params: dict) -> dict:
        for attempt in Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=0.5, max=10),
            retry=retry_if_exception(_transient),
            reraise=True,
        ):
            with attempt:
                resp = client.get("/api/search", params=params)
                if resp.status_code in (401, 403):
                    raise UsajobsError(
                        f"USAJOBS refused the key (HTTP {resp.status_code}): check OCCURISK_USAJOBS_API_KEY "
                        "and OCCURISK_USAJOBS_EMAIL (the address the key was issued to)"
                    )
                resp.raise_for_status()
                try:
                    return resp.json()
                except ValueError as exc:
                    raise UsajobsError(f"USAJOBS answered something that is not JSON: {exc}") from exc
        raise AssertionError("unreachable")


def records_from_page(data: dict, skipped: list[str]) -> list[PostingRecord]:
    records = []
    for n, item in enumerate((data.get("SearchResult") or {}).get("SearchResultItems") or [], start=1):
        descriptor = item.get("MatchedObjectDescriptor") if isinstance(item, dict) else None
        key = (item.get("MatchedObjectId") if isinstance(item, dict) else None) or (descriptor or {}).get(
            "PositionID"
        )
        if not isinstance(descriptor, dict) or not key:
            skipped.append(f"item {n}: no MatchedObjectDescriptor / MatchedObjectId")
            continue
        obj = to_job_posting(descriptor)
        records.append(from_job_posting(obj, "usajobs", str(key), origin="usajobs:/api/search"))
    return records


def fetch_usajobs(
    conn: psycopg.Connection,
    client: UsajobsClient,
    query: dict,
    max_pages: int = 10,
    collected_on: dt.date | None = None,
) -> UsajobsReport:
    report = UsajobsReport(query=query)
    for data in client.search_pages(query, max_pages):
        records = records_from_page(data, report.skipped)
        with conn.transaction():
            counts = store_postings(conn, records, collected_on)
        report.pages += 1
        report.items += len(records)
        report.inserted += counts["inserted"]
        report.seen_again += counts["seen_again"]
    return report
