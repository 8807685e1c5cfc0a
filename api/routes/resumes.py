"""Reading an existing résumé: the jobs in it, each with its likely occupations (the occupation coder) and
the O*NET tasks of the first one that match what the person wrote. Nothing is stored."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Request
from psycopg.rows import dict_row
from pydantic import BaseModel, Field

from api.deps import ConnectionDep, VersionDep
from api.schemas.common import UNPROCESSABLE
from api.schemas.resumes import ParsedResume
from occurisk_assets.clean_text import CleanText, text_problem
from occurisk_assets.defs.assistant.documents import MAX_UPLOAD_BYTES, UploadProblem, text_of_upload
from occurisk_assets.defs.assistant.parsing import split_jobs
from occurisk_assets.defs.coder import CoderNotTrained, load_production_coder
from occurisk_assets.defs.coder.serving import log_predictions
from occurisk_assets.text.requirements import propose_tasks

router = APIRouter(tags=["resumes"])

PROPOSED_TASKS = 8


class ParseRequest(BaseModel):
    text: CleanText = Field(
        min_length=3, max_length=100_000, examples=["I was a customer service rep for 25 years."]
    )


async def _text_of(request: Request) -> str:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=5, max_part_size=MAX_UPLOAD_BYTES + 1)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            if isinstance(form.get("text"), str) and form["text"].strip():
                if problem := text_problem(form["text"]):
                    raise HTTPException(422, f"text {problem}")
                return form["text"]
            raise HTTPException(
                422, "file: attach a .txt, .docx or .pdf résumé (form field `file`), or send `text`"
            )
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        try:
            return await asyncio.to_thread(text_of_upload, upload.filename or "", data)
        except UploadProblem as exc:
            raise HTTPException(exc.status, str(exc)) from exc
    try:
        body = ParseRequest.model_validate_json(await request.body())
    except ValueError as exc:
        raise HTTPException(
            422,
            'text: send {"text": "…"} as JSON (3 to 100,000 characters), or upload a file as multipart `file`',
        ) from exc
    return body.text


async def tasks_of(conn, version: str, soc_code: str) -> list[dict]:
    """The occupation's tasks, core first (on the read pool or the assistant's, whatever its row factory)."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            "SELECT task_id, task_statement FROM marts.task_statements WHERE data_version = %s AND soc_code = %s "
            "ORDER BY task_type NULLS LAST, task_id",
            [version, soc_code],
        )
        return [
            {"task_id": r["task_id"], "task_statement": r["task_statement"]} for r in await cur.fetchall()
        ]


def _propose(duties: list[str], tasks: list[dict]) -> list[dict]:
    """The occupation's tasks that the person's own words show (the requirement matcher of
    occurisk_assets.text); without duties, its first tasks (core first)."""
    if not duties:
        return [{**t, "similarity": None} for t in tasks[:PROPOSED_TASKS]]
    shown = propose_tasks(duties, [t["task_statement"] for t in tasks], PROPOSED_TASKS)
    return [{**tasks[i], "similarity": score} for i, score in shown]


# The body is read by hand (JSON or multipart), so it is documented here for clients and schemathesis.
PARSE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": ParseRequest.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": ".txt, .docx or .pdf"},
                        "text": {"type": "string"},
                    },
                }
            },
        },
    }
}


@router.post("/resumes/parse", response_model=ParsedResume, responses=UNPROCESSABLE, openapi_extra=PARSE_BODY)
async def parse_resume(request: Request, conn: ConnectionDep, version: VersionDep) -> dict:
    """Send `{"text": "…"}` or a multipart upload `file` (.txt, .docx or .pdf, at most 2 MB). Returns the jobs
    found, each with `occupations` (soc_code, title, confidence) and `proposed_tasks` to confirm."""
    try:
        return await parse_text(conn, version, await _text_of(request))
    except CoderNotTrained as exc:
        raise HTTPException(503, str(exc)) from exc


async def parse_text(conn, version: str, text: str) -> dict:
    """The jobs in a résumé's text, coded (the API's answer; the résumé page shows the same)."""
    jobs = split_jobs(text)
    coder = await asyncio.to_thread(load_production_coder, version)
    queries = [job.title or " ".join(job.duties)[:200] for job in jobs]
    predictions = await asyncio.to_thread(coder.predict, queries, 3)
    log_predictions(coder.model_version, queries, predictions)
    found = []
    for job, occupations in zip(jobs, predictions, strict=True):
        tasks = await tasks_of(conn, version, occupations[0].soc_code)
        found.append(
            {
                "title": job.title,
                "employer": job.employer,
                "start_year": job.start_year,
                "end_year": job.end_year,
                "duties": job.duties,
                "occupations": [
                    {"soc_code": p.soc_code, "title": p.title, "confidence": p.confidence}
                    for p in occupations
                ],
                "proposed_tasks": await asyncio.to_thread(_propose, job.duties, tasks),
            }
        )
    return {"data_version": version, "model_version": coder.model_version, "jobs": found}
