"""A person's matched job ads as a page (/my-work/{id}/postings): the postings ranked for their profile,
each with its occupation, its exposure and why it is on the list, in plain words, and a small form to mark
what came of it (applied / interview / offer / rejected). No number on the page is a chance of being hired:
none exists. The same service as the JSON API's (api/services/profile_postings.py)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Path, Query
from fastapi.responses import HTMLResponse

from api.assistant_db import AssistantConnectionDep
from api.deps import ConnectionDep
from api.pages.numbers import whole_number
from api.pages.profile_steps import load_profile, redirect, render
from api.pages.render import Page, PageDep, PageError
from api.services.profile_postings import OUTCOMES, UnknownPosting, postings_for, record_outcome
from occurisk_assets.assistant.korean_resume import is_korean

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 10
PostingId = Annotated[int, Path(ge=1, le=2**62)]


def outcome_field(posting_id: int) -> str:
    """The id of a posting's first outcome choice: where the error summary links to."""
    return f"outcome-{posting_id}-{OUTCOMES[0]}"


def _ad_link(url: str | None) -> str | None:
    # Only web addresses become links: a crawled or imported url could be `javascript:` or worse.
    return url if url and urlsplit(url).scheme in ("http", "https") else None


def _lang(text: str | None) -> str:
    """The language of an ad's or a person's words, for its `lang` attribute: Korean ads are listed too."""
    return "ko" if text and is_korean(text) else "en"


def _view(item: dict, own_titles: dict[str, str]) -> dict:
    """What a card shows of an API item: its reasons in plain words (the exposure is shown as the badge;
    match score components are never shown), each text marked with its language. A ticked task already
    quoted as what the person did, next to the ad's requirement it matches, is not listed a second time."""
    quoted = {r["yours"] for r in item["reasons"] if r["kind"] == "matched_requirement"}
    reasons = [
        r
        for r in item["reasons"]
        if r["kind"] != "exposure" and not (r["kind"] == "matched_task" and r["task_statement"] in quoted)
    ]
    for reason in reasons:
        if reason["kind"] == "occupation":
            reason["your_title"] = own_titles.get(reason["your_soc_code"], reason["your_soc_code"])
        if reason["kind"] == "matched_requirement":
            reason["requirement_lang"] = _lang(reason["requirement"])
            reason["yours_lang"] = _lang(reason["yours"])
    organization = " · ".join(filter(None, [item["hiring_organization"], item["job_location"]]))
    return {
        **item,
        "reasons": reasons,
        "ad_link": _ad_link(item["url"]),
        "title_lang": _lang(item["title"]),
        "organization_lang": _lang(organization),
    }


async def _response(
    page: Page, conn, platform, row: dict, number: int, status: int = 200, unmarked=None, saved=None
) -> HTMLResponse:
    """The page of ads `number`; `unmarked`: the posting whose form came without a choice (the error)."""
    found = await postings_for(conn, platform, row, None, number, PAGE_SIZE)
    own_titles = {job["soc_code"]: job["title"] for job in row["jobs"]}
    problems = []
    if unmarked is not None:
        title = next((i["title"] for i in found["items"] if i["posting_id"] == unmarked), None)
        if title is None:  # not an ad of this page: nothing to point the person at
            raise PageError(404, [("posting", "posting_unknown", unmarked)])
        problems.append((outcome_field(unmarked), page.error_text("outcome", "outcome_missing", title)))
    return render(
        page,
        "my_work/postings.html",
        row,
        "postings",
        status=status,
        items=[_view(item, own_titles) for item in found["items"]],
        pagination=found["pagination"],
        problems=problems,
        saved=saved,
        outcomes=OUTCOMES,
        outcome_field=outcome_field,
    )


@router.get("/my-work/{profile_id}/postings", response_class=HTMLResponse)
async def postings_page(
    profile_id: str,
    page: PageDep,
    conn: AssistantConnectionDep,
    platform: ConnectionDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=1000)] = 1,
    saved: Annotated[str | None, Query(pattern="^[0-9]{1,18}$")] = None,
) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    saved_id = int(saved) if saved else None
    return await _response(page, conn, platform, row, page_number, saved=saved_id)


@router.post("/my-work/{profile_id}/postings/{posting_id}/outcome", response_class=HTMLResponse)
async def mark_outcome(
    profile_id: str,
    posting_id: PostingId,
    page: PageDep,
    conn: AssistantConnectionDep,
    platform: ConnectionDep,
    outcome: Annotated[str, Form()] = "",
    page_number: Annotated[str, Form(alias="page")] = "1",
):
    number = whole_number(page_number)
    if number is None or not 1 <= number <= 1000:
        raise PageError(400, [("page", "bad_value", page_number[:20])])
    row = await load_profile(conn, profile_id)
    if outcome not in OUTCOMES:
        return await _response(page, conn, platform, row, number, 400, unmarked=posting_id)
    try:
        await record_outcome(conn, platform, profile_id, posting_id, outcome)
    except UnknownPosting as exc:
        raise PageError(404, [("posting", "posting_unknown", posting_id)]) from exc
    return redirect(f"/my-work/{profile_id}/postings?page={number}&saved={posting_id}#posting-{posting_id}")
