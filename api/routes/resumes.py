"""Reading an existing résumé: the jobs in it, each with its likely occupations (the occupation coder) and
the O*NET tasks of the first one that match what the person wrote. Nothing is stored."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from api.deps import ConnectionDep, VersionDep
from api.schemas.common import UNPROCESSABLE
from api.schemas.resumes import ParsedResume
from api.services import resumes
from occurisk_assets.assistant.documents import MAX_UPLOAD_BYTES, UploadProblem, text_of_upload
from occurisk_assets.lib.clean_text import CleanText, text_problem

router = APIRouter(tags=["resumes"])


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
    return await resumes.parse_text(conn, version, await _text_of(request))
