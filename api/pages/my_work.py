"""What the pages of a person's work history (/my-work…) share: the profile of a page (or none yet), the
checks of a job's details, saving the jobs (the API's validation, one transaction), a recording's text."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup

from api import speech
from api.config import get_api_settings
from api.metrics import AUDIO_SECONDS
from api.pages.numbers import whole_number
from occurisk_assets.assistant import exposure, profiles, voice
from occurisk_assets.lib.codes import PROFILE_ID

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


def job_base(profile_id: str | None) -> str:
    return f"{BASE}/{profile_id}" if profile_id else BASE


JOB_FIELDS = ("soc_code", "title", "employer", "start_year", "end_year", "task_ids", "duties")


def profile_in(row: dict, jobs: list[dict]) -> profiles.ProfileIn:
    """The whole profile as the API's PUT takes it, with `jobs` in place of the stored ones."""
    return profiles.ProfileIn(
        jobs=[{k: job[k] for k in JOB_FIELDS} for job in jobs],
        target_soc_code=row["target_soc_code"],
        age_neutral=row["age_neutral"],
        llm_opt_in=row["llm_opt_in"],
    )


async def save_jobs(conn, version: str, row: dict | None, jobs: list[dict]) -> str:
    """Validate and store (the API's code: one transaction); the profile is made with its first job."""
    body = profile_in(row or {"target_soc_code": None, "age_neutral": False, "llm_opt_in": False}, jobs)
    await profiles.validate_against_catalog(conn, version, body)
    profile_id = row["id"] if row else profiles.new_profile_id()
    await profiles.save(conn, profile_id, version, body, new=row is None)
    return profile_id


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


def job_of(row: dict, index: int) -> dict:
    if not 0 <= index < len(row["jobs"]):
        raise HTTPException(404)
    return row["jobs"][index]


def duties_of(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


async def transcribed(page, audio) -> tuple[str | None, list[tuple[str, str]]]:
    """The text of an uploaded recording (the /api/v1/transcribe code), or the problem with it."""
    if audio is None or isinstance(audio, str) or not audio.filename:
        return None, [("audio", page.t("aw_error_audio_missing"))]
    settings = get_api_settings()
    data = await audio.read(settings.transcribe_max_bytes + 1)
    try:
        result = await speech.transcribe(
            page.request.app.state.speech,
            audio.filename,
            data,
            max_bytes=settings.transcribe_max_bytes,
            max_seconds=settings.transcribe_max_seconds,
            language=page.lang,  # a Korean page expects Korean speech: the multilingual model
        )
    except voice.AudioProblem as exc:
        return None, [("audio", with_english_problem(page, "aw_error_audio", exc))]
    AUDIO_SECONDS.inc(result.seconds)
    return result.text.strip(), []


def with_line(text: str, line: str) -> str:
    return (text.rstrip() + "\n" + line).strip() if line else text
