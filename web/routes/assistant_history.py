"""The assistant's pages for building a profile: the start page, the work history (find the job, years and
employer, tick the tasks, own duties), an existing résumé read and confirmed, and "delete everything".

Plain forms that work without JavaScript, each POST answered by a redirect (POST-redirect-GET). Every write
goes through the same code as the JSON API (occurisk_assets.defs.assistant.profiles: validated against the
O*NET version, one transaction), so a page can never save half of what it was sent."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from api import queries
from api.assistant_db import AssistantConnectionDep
from api.config import get_api_settings
from api.deps import ConnectionDep, VersionDep
from api.profile_access import ProfileId
from api.routes.resumes import parse_text, tasks_of
from occurisk_assets.codes import PROFILE_ID, SOC_CODE_PATTERN
from occurisk_assets.defs.assistant import exposure, profiles, voice
from occurisk_assets.defs.assistant.documents import MAX_UPLOAD_BYTES, UploadProblem, text_of_upload
from web.numbers import whole_number
from web.render import PageDep

router = APIRouter(include_in_schema=False)

BASE = "/my-work"


def optional_profile_id(request: Request) -> str | None:
    """The profile of a page that also works before there is one (the first job, the first résumé)."""
    profile_id = request.path_params.get("profile_id")
    if profile_id is not None and not PROFILE_ID.fullmatch(profile_id):
        raise HTTPException(404)
    return profile_id


OptionalProfileId = Annotated[str | None, Depends(optional_profile_id)]


def with_english_problem(page, key: str, problem: Exception) -> Markup:
    """The page's message `key` naming a reader's problem, which is English text (the file or recording
    readers' own words): marked lang="en" so a screen reader on a Korean page pronounces it as English."""
    english = Markup('<span lang="en">{}</span>').format(str(problem))
    return Markup(page.t(key, problem="{problem}")).format(problem=english)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def load_profile(conn, profile_id: str) -> dict:
    row = await profiles.load(conn, profile_id)
    if row is None:
        raise HTTPException(404)
    return row


async def profile_and_version(conn, profile_id: str | None, served: str) -> tuple[dict | None, str]:
    """The profile of a page that also works before there is one, and the O*NET version it is in (the
    served one until the profile exists)."""
    if not profile_id:
        return None, served
    row = await load_profile(conn, profile_id)
    return row, row["data_version"]


@router.get(BASE, response_class=HTMLResponse)
async def start(page: PageDep, version: VersionDep) -> HTMLResponse:
    return page.render("assistant/start.html", data_version=version)


@router.get(BASE + "/deleted", response_class=HTMLResponse)
async def deleted(page: PageDep) -> HTMLResponse:
    page.private = True
    return page.render("assistant/deleted.html", data_version=None)


@router.get(BASE + "/{profile_id}/delete", response_class=HTMLResponse)
async def confirm_delete(page: PageDep, profile_id: ProfileId, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    return page.render(
        "assistant/delete.html", profile=row, base=f"{BASE}/{profile_id}", data_version=row["data_version"]
    )


@router.post(BASE + "/{profile_id}/delete")
async def delete_everything(profile_id: ProfileId, conn: AssistantConnectionDep) -> RedirectResponse:
    """The API's delete: the profile and every row that hangs off it."""
    if not await profiles.delete(conn, profile_id):
        raise HTTPException(404)
    return see_other(BASE + "/deleted")


# --- Adding and changing a job -------------------------------------------------------------------------

SEARCH_RESULTS = 10


def job_base(profile_id: str | None) -> str:
    return f"{BASE}/{profile_id}" if profile_id else BASE


def profile_in(row: dict, jobs: list[dict]) -> profiles.ProfileIn:
    """The whole profile as the API's PUT takes it, with `jobs` in place of the stored ones."""
    return profiles.ProfileIn(
        jobs=[{k: job[k] for k in JOB_FIELDS} for job in jobs],
        target_soc_code=row["target_soc_code"],
        age_neutral=row["age_neutral"],
        llm_opt_in=row["llm_opt_in"],
    )


JOB_FIELDS = ("soc_code", "title", "employer", "start_year", "end_year", "task_ids", "duties")


async def save_jobs(conn, version: str, row: dict | None, jobs: list[dict]) -> str:
    """Validate and store (the API's code: one transaction); the profile is made with its first job."""
    body = profile_in(row or {"target_soc_code": None, "age_neutral": False, "llm_opt_in": False}, jobs)
    await profiles.validate_against_catalog(conn, version, body)
    profile_id = row["id"] if row else profiles.new_profile_id()
    await profiles.save(conn, profile_id, version, body, new=row is None)
    return profile_id


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
    query_norm = queries.normalise_search(q) if q.strip() else ""
    results = []
    if query_norm:
        found = await queries.list_occupations(
            conn, version, query_norm, "relevance", "desc", limit=SEARCH_RESULTS, offset=0
        )
        results = found.rows
    errors = []
    if error == "choose":
        errors.append(("soc-0", page.t("aw_error_choose")))
    elif q and not results:
        errors.append(("q", page.t("aw_error_no_results", q=q.strip())))
    return page.render(
        "assistant/find_job.html",
        status=400 if errors else 200,
        q=q.strip(),
        results=results,
        errors=errors,
        base=job_base(profile_id),
        data_version=version,
    )


def read_year(text: str) -> int | None | str:
    text = text.strip()
    if not text:
        return None
    year = whole_number(text)
    return year if year is not None and len(text) == 4 else "bad"


def check_details(t, form: dict) -> tuple[list[tuple[str, str]], dict]:
    """The years and employer page's problems, each tied to its field, and the cleaned values."""
    errors = []
    this_year = dt.date.today().year
    start, end = read_year(form["start_year"]), read_year(form["end_year"])
    if start is None or start == "bad":
        errors.append(("start_year", t("aw_error_start_missing")))
    elif start > this_year:
        errors.append(("start_year", t("aw_error_future", year=this_year)))
    elif start < profiles.MIN_YEAR:
        errors.append(("start_year", t("aw_error_too_early", year=profiles.MIN_YEAR)))
    if end == "bad":
        errors.append(("end_year", t("aw_error_end_bad")))
    elif isinstance(end, int) and end > this_year:
        errors.append(("end_year", t("aw_error_future", year=this_year)))
    elif isinstance(end, int) and isinstance(start, int) and end < start:
        errors.append(("end_year", t("aw_error_end_before_start")))
    if not form["title"].strip():
        errors.append(("title", t("aw_error_title_missing")))
    elif len(form["title"]) > 200:
        errors.append(("title", t("aw_error_too_long", n=200)))
    if len(form["employer"]) > 200:
        errors.append(("employer", t("aw_error_too_long", n=200)))
    values = {
        "title": form["title"].strip(),
        "employer": form["employer"].strip() or None,
        "start_year": start if isinstance(start, int) else None,
        "end_year": end if isinstance(end, int) else None,
    }
    return errors, values


async def occupation_title(conn, version: str, soc_code: str) -> str:
    found = (await exposure.occupation_scores(conn, version, [soc_code])).get(soc_code)
    if found is None:
        raise HTTPException(404)
    return found["title"]


def render_details(
    page, form: dict, occupation: str, errors: list, action: str, version: str
) -> HTMLResponse:
    """The years and employer page: empty, as saved, or as sent with its problems (status 400)."""
    return page.render(
        "assistant/job_details.html",
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


def job_of(row: dict, index: int) -> dict:
    if not 0 <= index < len(row["jobs"]):
        raise HTTPException(404)
    return row["jobs"][index]


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


# --- Ticking tasks, own duties, speaking instead of typing ------------------------------------------------


def duties_of(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


async def render_tasks(page, conn, row, index, ticked, duties_text, errors, status=200):
    job = job_of(row, index)
    return page.render(
        "assistant/job_tasks.html",
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


async def transcribed(page, audio) -> tuple[str | None, list[tuple[str, str]]]:
    """The text of an uploaded recording (the /api/v1/transcribe code), or the problem with it."""
    if audio is None or isinstance(audio, str) or not audio.filename:
        return None, [("audio", page.t("aw_error_audio_missing"))]
    settings = get_api_settings()
    data = await audio.read(settings.transcribe_max_bytes + 1)
    try:
        result = await asyncio.to_thread(
            voice.transcribe,
            audio.filename,
            data,
            max_bytes=settings.transcribe_max_bytes,
            max_seconds=settings.transcribe_max_seconds,
            language=page.lang,  # a Korean page expects Korean speech: the multilingual model
        )
    except voice.AudioProblem as exc:
        return None, [("audio", with_english_problem(page, "aw_error_audio", exc))]
    return result.text.strip(), []


def with_line(text: str, line: str) -> str:
    return (text.rstrip() + "\n" + line).strip() if line else text


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
        "assistant/remove_job.html",
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


# --- An existing résumé: read, then confirmed job by job --------------------------------------------------


async def render_resume(page, profile_id, version, text, errors, status=200):
    return page.render(
        "assistant/resume.html",
        status=status,
        text=text,
        errors=errors,
        max_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
        action=job_base(profile_id) + "/resume",
        data_version=version,
    )


@router.get(BASE + "/resume", response_class=HTMLResponse)
@router.get(BASE + "/{profile_id}/resume", response_class=HTMLResponse)
async def resume_form(
    page: PageDep, conn: AssistantConnectionDep, version: VersionDep, profile_id: OptionalProfileId = None
) -> HTMLResponse:
    _, version = await profile_and_version(conn, profile_id, version)
    return await render_resume(page, profile_id, version, "", [])


@router.post(BASE + "/resume", response_class=HTMLResponse)
@router.post(BASE + "/{profile_id}/resume", response_class=HTMLResponse)
async def read_resume(
    page: PageDep,
    conn: ConnectionDep,
    assistant: AssistantConnectionDep,
    version: VersionDep,
    request: Request,
    profile_id: OptionalProfileId = None,
) -> HTMLResponse:
    """Paste, upload or speak a résumé → the jobs found, to confirm (nothing is saved yet)."""
    _, version = await profile_and_version(assistant, profile_id, version)
    form = await request.form()
    text = str(form.get("text") or "")
    if form.get("action") == "transcribe":
        spoken, errors = await transcribed(page, form.get("audio"))
        return await render_resume(
            page, profile_id, version, with_line(text, spoken or ""), errors, 400 if errors else 200
        )
    upload = form.get("file")
    if upload is not None and not isinstance(upload, str) and upload.filename:
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        try:
            text = await asyncio.to_thread(text_of_upload, upload.filename, data)
        except UploadProblem as exc:
            return await render_resume(
                page,
                profile_id,
                version,
                text,
                [("file", with_english_problem(page, "aw_error_file", exc))],
                400,
            )
    if len(text.strip()) < 3:
        return await render_resume(
            page, profile_id, version, text, [("text", page.t("aw_error_resume_empty"))], 400
        )
    if len(text) > 100_000:
        return await render_resume(
            page, profile_id, version, "", [("text", page.t("aw_error_resume_long"))], 400
        )
    parsed = await parse_text(conn, version, text)
    jobs = [  # as first shown: every job kept, its likeliest occupation chosen, every proposed task ticked
        {
            **job,
            "keep": True,
            "soc_code": job["occupations"][0]["soc_code"],
            "ticked": {t["task_id"] for t in job["proposed_tasks"]},
        }
        for job in parsed["jobs"]
    ]
    return render_resume_confirm(page, profile_id, version, jobs, [])


def render_resume_confirm(page, profile_id, version, jobs, errors, status=200):
    return page.render(
        "assistant/resume_confirm.html",
        status=status,
        jobs=jobs,
        errors=errors,
        action=job_base(profile_id) + "/resume/confirm",
        data_version=version,
    )


async def jobs_as_sent(conn, version: str, form, count: int) -> list[dict]:
    """The confirm page's jobs rebuilt from what it sent (the values as typed), to show it again with its
    problems: the occupations and tasks it offered travel in hidden fields, their words come from O*NET."""
    jobs = []
    for i in range(count):
        offered = [str(v) for v in form.getlist(f"offered-soc-{i}")]
        titles = await exposure.occupation_scores(conn, version, offered)
        offered_tasks = [n for v in form.getlist(f"offered-task-{i}") if (n := whole_number(v)) is not None]
        statements = {t["task_id"]: t for t in await tasks_of(conn, version, offered[0])} if offered else {}
        jobs.append(
            {
                **{
                    k: str(form.get(f"{k}-{i}") or "")
                    for k in ("title", "employer", "start_year", "end_year")
                },
                "duties": duties_of(str(form.get(f"duties-{i}") or "")),
                "keep": form.get(f"keep-{i}") == "yes",
                "soc_code": str(form.get(f"soc-{i}") or ""),
                "ticked": {n for v in form.getlist(f"task-{i}") if (n := whole_number(v)) is not None},
                "occupations": [
                    {"soc_code": soc, "title": titles[soc]["title"]} for soc in offered if soc in titles
                ],
                "proposed_tasks": [statements[t] for t in offered_tasks if t in statements],
            }
        )
    return jobs


@router.post(BASE + "/resume/confirm", response_class=HTMLResponse)
@router.post(BASE + "/{profile_id}/resume/confirm", response_class=HTMLResponse)
async def confirm_resume(
    page: PageDep,
    conn: AssistantConnectionDep,
    version: VersionDep,
    request: Request,
    profile_id: OptionalProfileId = None,
) -> Response:
    """The jobs the person kept, with the occupation and tasks they chose, added to the profile at once."""
    row, version = await profile_and_version(conn, profile_id, version)
    form = await request.form()
    count = min(whole_number(form.get("jobs")) or 0, profiles.MAX_JOBS)
    new_jobs, errors = [], []
    for i in range(count):
        if form.get(f"keep-{i}") != "yes":
            continue
        soc = str(form.get(f"soc-{i}") or "")
        values = {k: str(form.get(f"{k}-{i}") or "") for k in ("title", "employer", "start_year", "end_year")}
        problems, cleaned = check_details(page.t, values | {"soc_code": soc})
        if cleaned["start_year"] is None and not values["start_year"].strip():
            problems = [p for p in problems if p[0] != "start_year"]  # a résumé may not give the years
        errors += [(f"{field}-{i}", message) for field, message in problems]
        # The proposed tasks are the likeliest occupation's: with another occupation chosen they do not apply
        # (its own tasks are ticked afterwards, on the job's tasks page).
        own = {t["task_id"] for t in await tasks_of(conn, version, soc)}
        numbers = [whole_number(v) for v in form.getlist(f"task-{i}")]
        if None in numbers:
            errors.append((f"task-{i}", page.t("aw_error_unknown_task")))
        ticked = [n for n in numbers if n in own]
        new_jobs.append(
            {
                "soc_code": soc,
                "task_ids": ticked,
                "duties": duties_of(str(form.get(f"duties-{i}") or "")),
                **cleaned,
            }
        )
    if not new_jobs and not errors:
        errors.append(("keep-0", page.t("aw_error_keep_one")))
    if not errors:
        try:
            profile_id = await save_jobs(conn, version, row, [*(row["jobs"] if row else []), *new_jobs])
        except (profiles.InvalidProfile, ValueError) as exc:
            errors.append(("keep-0", with_english_problem(page, "aw_error_not_saved", exc)))
    if errors:
        jobs = await jobs_as_sent(conn, version, form, count)
        return render_resume_confirm(page, profile_id, version, jobs, errors, 400)
    return see_other(f"{BASE}/{profile_id}")


# Last: /my-work/{profile_id} would otherwise take /my-work/resume and the like.
@router.get(BASE + "/{profile_id}", response_class=HTMLResponse)
async def history(page: PageDep, profile_id: ProfileId, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    page.private = True
    private_link = str(page.request.url_for("history", profile_id=profile_id))
    return page.render(
        "assistant/history.html",
        profile=row,
        base=f"{BASE}/{profile_id}",
        private_link=private_link,
        data_version=row["data_version"],
    )
