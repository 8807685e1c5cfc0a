"""An existing résumé into the work history: pasted, uploaded or spoken, read (api/services/resumes.py),
then confirmed job by job (the confirm form parsed by the models of api/pages/my_work_forms.py)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.assistant_db import AssistantConnectionDep
from api.deps import ConnectionDep, VersionDep
from api.pages.my_work import (
    BASE,
    OptionalProfileId,
    check_details,
    duties_of,
    job_base,
    profile_and_version,
    save_jobs,
    see_other,
    transcribed,
    with_english_problem,
    with_line,
)
from api.pages.my_work_forms import ResumeConfirmForm
from api.pages.numbers import whole_number
from api.pages.render import PageDep
from api.queries.tasks import tasks_of
from api.services.resumes import parse_text
from occurisk_assets.assistant import exposure, profiles
from occurisk_assets.assistant.documents import MAX_UPLOAD_BYTES, UploadProblem, text_of_upload
from occurisk_assets.coder import labels as coder_labels

router = APIRouter(include_in_schema=False)


async def render_resume(page, profile_id, version, text, errors, status=200):
    return page.render(
        "my_work/resume.html",
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
    return render_resume_confirm(page, profile_id, version, jobs, [], parsed["model_version"])


def render_resume_confirm(page, profile_id, version, jobs, errors, coder_model, status=200):
    return page.render(
        "my_work/resume_confirm.html",
        status=status,
        jobs=jobs,
        errors=errors,
        coder_model=coder_model,
        action=job_base(profile_id) + "/resume/confirm",
        data_version=version,
    )


async def jobs_as_sent(conn, version: str, sent: ResumeConfirmForm) -> list[dict]:
    """The confirm page's jobs rebuilt from what it sent (the values as typed), to show it again with its
    problems: the occupations and tasks it offered travel in hidden fields, their words come from O*NET."""
    jobs = []
    for job in sent.jobs:
        titles = await exposure.occupation_scores(conn, version, job.offered_soc)
        offered = job.offered_soc
        statements = {t["task_id"]: t for t in await tasks_of(conn, version, offered[0])} if offered else {}
        jobs.append(
            {
                **job.details,
                "duties": duties_of(job.duties),
                "keep": job.kept,
                "soc_code": job.soc,
                "ticked": {n for v in job.task if (n := whole_number(v)) is not None},
                "occupations": [
                    {"soc_code": soc, "title": titles[soc]["title"]} for soc in offered if soc in titles
                ],
                "proposed_tasks": [statements[t] for t in job.offered_task_ids if t in statements],
                "coder_input_sha256": job.coder_input,
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
    sent = ResumeConfirmForm.of(await request.form())
    new_jobs, errors, labels = [], [], []
    for i, job in enumerate(sent.jobs):
        if not job.kept:
            continue
        values = job.details
        problems, cleaned = check_details(page.t, values | {"soc_code": job.soc})
        if cleaned["start_year"] is None and not values["start_year"].strip():
            problems = [p for p in problems if p[0] != "start_year"]  # a résumé may not give the years
        errors += [(f"{field}-{i}", message) for field, message in problems]
        # The proposed tasks are the likeliest occupation's: with another occupation chosen they do not apply
        # (its own tasks are ticked afterwards, on the job's tasks page).
        own = {t["task_id"] for t in await tasks_of(conn, version, job.soc)}
        numbers = [whole_number(v) for v in job.task]
        if None in numbers:
            errors.append((f"task-{i}", page.t("aw_error_unknown_task")))
        ticked = [n for n in numbers if n in own]
        labels.append(coder_labels.label_of(tuple(job.offered_soc), job.coder_input, job.soc))
        new_jobs.append({"soc_code": job.soc, "task_ids": ticked, "duties": duties_of(job.duties), **cleaned})
    if not new_jobs and not errors:
        errors.append(("keep-0", page.t("aw_error_keep_one")))
    if not errors:
        try:
            profile_id = await save_jobs(conn, version, row, [*(row["jobs"] if row else []), *new_jobs])
            await coder_labels.store(conn, version, sent.coder_model, labels)
        except (profiles.InvalidProfile, ValueError) as exc:
            errors.append(("keep-0", with_english_problem(page, "aw_error_not_saved", exc)))
    if errors:
        jobs = await jobs_as_sent(conn, version, sent)
        return render_resume_confirm(page, profile_id, version, jobs, errors, sent.coder_model, 400)
    return see_other(f"{BASE}/{profile_id}")
