"""Adding and changing a job of a person's work history: find the occupation in lay words, the years and
employer, ticking the tasks they did (and their own duties, typed or spoken), removing a job."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.assistant_db import AssistantConnectionDep
from api.deps import ConnectionDep, VersionDep
from api.pages.my_work import (
    BASE,
    OptionalProfileId,
    check_details,
    duties_of,
    job_base,
    job_of,
    load_profile,
    occupation_title,
    profile_and_version,
    save_jobs,
    see_other,
    transcribed,
    with_line,
)
from api.pages.numbers import whole_number
from api.pages.render import PageDep
from api.profile_access import ProfileId
from api.queries import occupations as occupation_queries
from api.queries.tasks import tasks_of
from occurisk_assets.assistant import profiles
from occurisk_assets.lib.codes import SOC_CODE_PATTERN

router = APIRouter(include_in_schema=False)

SEARCH_RESULTS = 10


@router.get(BASE + "/jobs/find", response_class=HTMLResponse)
@router.get(BASE + "/{profile_id}/jobs/find", response_class=HTMLResponse)
async def find_job(
    page: PageDep,
    conn: ConnectionDep,
    assistant: AssistantConnectionDep,
    version: VersionDep,
    profile_id: OptionalProfileId = None,
    q: Annotated[str, Query(max_length=100)] = "",
    error: str = "",
) -> HTMLResponse:
    """Search the occupations in lay words (the API's search) and choose one."""
    _, version = await profile_and_version(assistant, profile_id, version)
    query_norm = occupation_queries.normalise_search(q) if q.strip() else ""
    results = []
    if query_norm:
        found = await occupation_queries.list_occupations(
            conn, version, query_norm, "relevance", "desc", limit=SEARCH_RESULTS, offset=0
        )
        results = found.rows
    errors = []
    if error == "choose":
        errors.append(("soc-0", page.t("aw_error_choose")))
    elif q and not results:
        errors.append(("q", page.t("aw_error_no_results", q=q.strip())))
    return page.render(
        "my_work/find_job.html",
        status=400 if errors else 200,
        q=q.strip(),
        results=results,
        errors=errors,
        base=job_base(profile_id),
        data_version=version,
    )


def render_details(
    page, form: dict, occupation: str, errors: list, action: str, version: str
) -> HTMLResponse:
    """The years and employer page: empty, as saved, or as sent with its problems (status 400)."""
    return page.render(
        "my_work/job_details.html",
        status=400 if errors else 200,
        form=form,
        occupation=occupation,
        errors=errors,
        action=action,
        data_version=version,
    )


DETAILS_FIELDS = ("soc_code", "title", "employer", "start_year", "end_year")


def details_form(*values: str) -> dict:
    """The details page's fields (DETAILS_FIELDS, in that order) as the page shows them."""
    return dict(zip(DETAILS_FIELDS, values, strict=True))


@router.get(BASE + "/jobs/details", response_class=HTMLResponse)
@router.get(BASE + "/{profile_id}/jobs/details", response_class=HTMLResponse)
async def new_job_details(
    page: PageDep,
    conn: AssistantConnectionDep,
    version: VersionDep,
    profile_id: OptionalProfileId = None,
    soc: Annotated[str, Query(pattern=SOC_CODE_PATTERN)] = "",
    q: str = "",
) -> Response:
    if not soc:
        return see_other(page.url(job_base(profile_id) + "/jobs/find", q=q, error="choose"))
    _, version = await profile_and_version(conn, profile_id, version)
    title = await occupation_title(conn, version, soc)
    form = details_form(soc, title, "", "", "")
    return render_details(page, form, title, [], job_base(profile_id) + "/jobs/details", version)


@router.post(BASE + "/jobs/details", response_class=HTMLResponse)
@router.post(BASE + "/{profile_id}/jobs/details", response_class=HTMLResponse)
async def add_job(
    page: PageDep,
    conn: AssistantConnectionDep,
    version: VersionDep,
    soc_code: Annotated[str, Form(pattern=SOC_CODE_PATTERN)],
    profile_id: OptionalProfileId = None,
    title: Annotated[str, Form()] = "",
    employer: Annotated[str, Form()] = "",
    start_year: Annotated[str, Form()] = "",
    end_year: Annotated[str, Form()] = "",
) -> Response:
    row, version = await profile_and_version(conn, profile_id, version)
    occupation = await occupation_title(conn, version, soc_code)
    form = details_form(soc_code, title, employer, start_year, end_year)
    errors, values = check_details(page.t, form)
    if errors:
        return render_details(page, form, occupation, errors, job_base(profile_id) + "/jobs/details", version)
    jobs = [*(row["jobs"] if row else []), {"soc_code": soc_code, "task_ids": [], "duties": [], **values}]
    profile_id = await save_jobs(conn, version, row, jobs)
    return see_other(f"{BASE}/{profile_id}/jobs/{len(jobs) - 1}/tasks")


@router.get(BASE + "/{profile_id}/jobs/{index}/details", response_class=HTMLResponse)
async def change_job_details(
    page: PageDep, conn: AssistantConnectionDep, profile_id: ProfileId, index: int
) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    job = job_of(row, index)
    form = details_form(*("" if job[k] is None else str(job[k]) for k in DETAILS_FIELDS))
    occupation = await occupation_title(conn, row["data_version"], job["soc_code"])
    action = f"{BASE}/{profile_id}/jobs/{index}/details"
    return render_details(page, form, occupation, [], action, row["data_version"])


@router.post(BASE + "/{profile_id}/jobs/{index}/details", response_class=HTMLResponse)
async def save_job_details(
    page: PageDep,
    conn: AssistantConnectionDep,
    profile_id: ProfileId,
    index: int,
    title: Annotated[str, Form()] = "",
    employer: Annotated[str, Form()] = "",
    start_year: Annotated[str, Form()] = "",
    end_year: Annotated[str, Form()] = "",
) -> Response:
    row = await load_profile(conn, profile_id)
    job = job_of(row, index)
    form = details_form(job["soc_code"], title, employer, start_year, end_year)
    errors, values = check_details(page.t, form)
    if errors:
        occupation = await occupation_title(conn, row["data_version"], job["soc_code"])
        action = f"{BASE}/{profile_id}/jobs/{index}/details"
        return render_details(page, form, occupation, errors, action, row["data_version"])
    jobs = [dict(j) for j in row["jobs"]]
    jobs[index].update(values)
    await save_jobs(conn, row["data_version"], row, jobs)
    return see_other(f"{BASE}/{profile_id}")


async def render_tasks(page, conn, row, index, ticked, duties_text, errors, status=200):
    job = job_of(row, index)
    return page.render(
        "my_work/job_tasks.html",
        status=status,
        job=job,
        tasks=await tasks_of(conn, row["data_version"], job["soc_code"]),
        ticked=set(ticked),
        duties_text=duties_text,
        errors=errors,
        action=f"{BASE}/{row['id']}/jobs/{index}/tasks",
        data_version=row["data_version"],
    )


@router.get(BASE + "/{profile_id}/jobs/{index}/tasks", response_class=HTMLResponse)
async def job_tasks(
    page: PageDep, conn: AssistantConnectionDep, profile_id: ProfileId, index: int
) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    job = job_of(row, index)
    return await render_tasks(page, conn, row, index, job["task_ids"], "\n".join(job["duties"]), [])


@router.post(BASE + "/{profile_id}/jobs/{index}/tasks", response_class=HTMLResponse)
async def save_job_tasks(
    page: PageDep, conn: AssistantConnectionDep, profile_id: ProfileId, index: int, request: Request
) -> Response:
    row = await load_profile(conn, profile_id)
    job_of(row, index)
    form = await request.form()
    ticked_text = [v for v in form.getlist("task") if isinstance(v, str)]
    duties_text = str(form.get("duties") or "")
    if form.get("action") == "transcribe":
        text, errors = await transcribed(page, form.get("audio"))
        ticked = [n for v in ticked_text if (n := whole_number(v)) is not None]
        duties_text = with_line(duties_text, text or "")
        return await render_tasks(page, conn, row, index, ticked, duties_text, errors, 400 if errors else 200)
    known = {t["task_id"] for t in await tasks_of(conn, row["data_version"], row["jobs"][index]["soc_code"])}
    errors = []
    ticked = [n for v in ticked_text if (n := whole_number(v)) in known]
    if len(ticked) != len(ticked_text):
        errors.append(("task-0", page.t("aw_error_unknown_task")))
    duties = duties_of(duties_text)
    if len(duties) > profiles.MAX_DUTIES or any(len(d) > 500 for d in duties):
        errors.append(("duties", page.t("aw_error_duties_long", n=profiles.MAX_DUTIES)))
    if errors:
        return await render_tasks(page, conn, row, index, ticked, duties_text, errors, 400)
    jobs = [dict(j) for j in row["jobs"]]
    jobs[index].update(task_ids=sorted(set(ticked)), duties=duties)
    await save_jobs(conn, row["data_version"], row, jobs)
    return see_other(f"{BASE}/{profile_id}")


@router.get(BASE + "/{profile_id}/jobs/{index}/remove", response_class=HTMLResponse)
async def confirm_remove(
    page: PageDep, conn: AssistantConnectionDep, profile_id: ProfileId, index: int
) -> Response:
    row = await load_profile(conn, profile_id)
    if len(row["jobs"]) == 1:  # a profile has at least one job: removing the last is deleting everything
        return see_other(f"{BASE}/{profile_id}/delete")
    return page.render(
        "my_work/remove_job.html",
        job=job_of(row, index),
        action=f"{BASE}/{profile_id}/jobs/{index}/remove",
        base=f"{BASE}/{profile_id}",
        data_version=row["data_version"],
    )


@router.post(BASE + "/{profile_id}/jobs/{index}/remove")
async def remove_job(conn: AssistantConnectionDep, profile_id: ProfileId, index: int) -> RedirectResponse:
    row = await load_profile(conn, profile_id)
    job_of(row, index)
    if len(row["jobs"]) == 1:
        return see_other(f"{BASE}/{profile_id}/delete")
    await save_jobs(conn, row["data_version"], row, [j for i, j in enumerate(row["jobs"]) if i != index])
    return see_other(f"{BASE}/{profile_id}")
