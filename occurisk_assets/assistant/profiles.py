"""Profiles: a person's jobs and the tasks they did. Validated against the O*NET version they were made
with; written in one transaction (all or nothing). Reachable only by their random id."""

from __future__ import annotations

import datetime as dt
import secrets

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from pydantic import BaseModel, Field, field_validator, model_validator

from occurisk_assets.lib.clean_text import CleanText
from occurisk_assets.lib.codes import SOC_CODE_PATTERN

ID_BYTES = 24  # 192 random bits, URL-safe base64: 32 characters
MAX_JOBS = 30
MAX_TASKS_PER_JOB = 60
MAX_DUTIES = 30
MIN_YEAR = 1940


def new_profile_id() -> str:
    return secrets.token_urlsafe(ID_BYTES)


class JobIn(BaseModel):
    soc_code: str = Field(pattern=SOC_CODE_PATTERN, examples=["43-4051"])
    title: CleanText = Field(min_length=1, max_length=200, examples=["Customer service representative"])
    employer: CleanText | None = Field(default=None, max_length=200)
    start_year: int | None = Field(default=None, ge=MIN_YEAR)
    end_year: int | None = Field(default=None, ge=MIN_YEAR, description="empty: still in this job")
    task_ids: list[int] = Field(default_factory=list, max_length=MAX_TASKS_PER_JOB)
    duties: list[CleanText] = Field(default_factory=list, max_length=MAX_DUTIES)

    @field_validator("duties")
    @classmethod
    def clean_duties(cls, duties: list[str]) -> list[str]:
        cleaned = [d.strip() for d in duties if d.strip()]
        if any(len(d) > 500 for d in cleaned):
            raise ValueError("each duty must be at most 500 characters")
        return cleaned

    @field_validator("title", "employer")
    @classmethod
    def strip(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @model_validator(mode="after")
    def years_make_sense(self) -> JobIn:
        this_year = dt.date.today().year
        for name in ("start_year", "end_year"):
            year = getattr(self, name)
            if year is not None and year > this_year:
                raise ValueError(f"{name} {year} is in the future (this year is {this_year})")
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValueError(f"end_year {self.end_year} is before start_year {self.start_year}")
        if len(set(self.task_ids)) != len(self.task_ids):
            raise ValueError("task_ids lists a task twice")
        return self


class ProfileIn(BaseModel):
    jobs: list[JobIn] = Field(min_length=1, max_length=MAX_JOBS)
    target_soc_code: str | None = Field(default=None, pattern=SOC_CODE_PATTERN)
    age_neutral: bool = False
    llm_opt_in: bool = Field(default=False, description="allow sending this profile's text to an LLM")


class InvalidProfile(ValueError):
    """A 422 naming what is wrong; nothing was saved."""


async def validate_against_catalog(conn: AsyncConnection, version: str, profile: ProfileIn) -> None:
    """Every SOC code and task id exists in the version, and each task belongs to its job's SOC."""
    socs = {job.soc_code for job in profile.jobs} | ({profile.target_soc_code} - {None})
    cur = await conn.execute(
        "SELECT DISTINCT soc_code FROM marts.occupation_master WHERE data_version = %s AND soc_code = ANY(%s)",
        [version, list(socs)],
    )
    known = {r[0] for r in await cur.fetchall()}
    for i, job in enumerate(profile.jobs):
        if job.soc_code not in known:
            raise InvalidProfile(f"jobs[{i}].soc_code: no occupation {job.soc_code} in O*NET {version}")
    if profile.target_soc_code and profile.target_soc_code not in known:
        raise InvalidProfile(f"target_soc_code: no occupation {profile.target_soc_code} in O*NET {version}")
    task_ids = [t for job in profile.jobs for t in job.task_ids]
    cur = await conn.execute(
        "SELECT task_id, soc_code FROM marts.task_statements WHERE data_version = %s AND task_id = ANY(%s)",
        [version, task_ids],
    )
    soc_of = dict(await cur.fetchall())
    for i, job in enumerate(profile.jobs):
        unknown = [t for t in job.task_ids if t not in soc_of]
        if unknown:
            raise InvalidProfile(f"jobs[{i}].task_ids: unknown task ids {unknown} in O*NET {version}")
        elsewhere = [t for t in job.task_ids if soc_of[t] != job.soc_code]
        if elsewhere:
            raise InvalidProfile(f"jobs[{i}].task_ids: tasks {elsewhere} are not tasks of {job.soc_code}")


async def save(
    conn: AsyncConnection, profile_id: str, version: str, profile: ProfileIn, *, new: bool
) -> None:
    """Insert or replace the whole profile in one transaction; any error leaves the previous one intact."""
    async with conn.transaction():
        if new:
            await conn.execute(
                "INSERT INTO assistant.profile (id, data_version, target_soc_code, age_neutral, llm_opt_in) "
                "VALUES (%s, %s, %s, %s, %s)",
                [profile_id, version, profile.target_soc_code, profile.age_neutral, profile.llm_opt_in],
            )
        else:
            await conn.execute(
                "UPDATE assistant.profile SET target_soc_code = %s, age_neutral = %s, llm_opt_in = %s, "
                "last_opened_at = now() WHERE id = %s",
                [profile.target_soc_code, profile.age_neutral, profile.llm_opt_in, profile_id],
            )
            await conn.execute("DELETE FROM assistant.job WHERE profile_id = %s", [profile_id])
            # A draft made from the old history would no longer match it.
            await conn.execute("DELETE FROM assistant.document WHERE profile_id = %s", [profile_id])
        for ordinal, job in enumerate(profile.jobs):
            await conn.execute(
                "INSERT INTO assistant.job (profile_id, ordinal, soc_code, title, employer, start_year, end_year, "
                "duties) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    profile_id,
                    ordinal,
                    job.soc_code,
                    job.title,
                    job.employer,
                    job.start_year,
                    job.end_year,
                    job.duties,
                ],
            )
            for task_id in job.task_ids:
                await conn.execute(
                    "INSERT INTO assistant.job_task (profile_id, ordinal, task_id) VALUES (%s, %s, %s)",
                    [profile_id, ordinal, task_id],
                )


async def load(conn: AsyncConnection, profile_id: str, *, touch: bool = True) -> dict | None:
    """The profile as stored, or None; opening it restarts its retention clock."""
    async with conn.cursor(row_factory=dict_row) as cur:
        if touch:
            await cur.execute(
                "UPDATE assistant.profile SET last_opened_at = now() WHERE id = %s "
                "RETURNING id, data_version, created_at, last_opened_at, target_soc_code, age_neutral, llm_opt_in",
                [profile_id],
            )
        else:
            await cur.execute("SELECT * FROM assistant.profile WHERE id = %s", [profile_id])
        row = await cur.fetchone()
        if row is None:
            return None
        await cur.execute(
            "SELECT j.ordinal, j.soc_code, j.title, j.employer, j.start_year, j.end_year, j.duties, "
            "coalesce(array_agg(t.task_id ORDER BY t.task_id) FILTER (WHERE t.task_id IS NOT NULL), '{}') AS task_ids "
            "FROM assistant.job j LEFT JOIN assistant.job_task t USING (profile_id, ordinal) "
            "WHERE j.profile_id = %s GROUP BY j.profile_id, j.ordinal ORDER BY j.ordinal",
            [profile_id],
        )
        row["jobs"] = await cur.fetchall()
    return row


def task_ids_of(row: dict) -> list[int]:
    """The O*NET tasks a loaded profile ticked, over all its jobs."""
    return [t for job in row["jobs"] for t in job["task_ids"]]


def socs_of(row: dict) -> list[str]:
    """The SOC codes of a loaded profile's jobs, each once."""
    return sorted({job["soc_code"] for job in row["jobs"]})


async def delete(conn: AsyncConnection, profile_id: str) -> bool:
    """Delete every row of the profile (jobs, tasks, documents, cached rewrites cascade)."""
    cur = await conn.execute("DELETE FROM assistant.profile WHERE id = %s", [profile_id])
    return cur.rowcount == 1


async def set_resume_choices(
    conn: AsyncConnection, profile_id: str, target_soc_code: str | None, age_neutral: bool, llm_opt_in: bool
) -> None:
    """The résumé choices the person made (kept for their next draft and downloads); the work history and
    its documents stay as they are."""
    await conn.execute(
        "UPDATE assistant.profile SET target_soc_code = %s, age_neutral = %s, llm_opt_in = %s WHERE id = %s",
        [target_soc_code, age_neutral, llm_opt_in, profile_id],
    )


async def stored_document(conn: AsyncConnection, profile_id: str, kind: str) -> dict | None:
    """The saved résumé ('resume') or cover letter ('cover_letter'), or None."""
    cur = await conn.execute(
        "SELECT body FROM assistant.document WHERE profile_id = %s AND kind = %s", [profile_id, kind]
    )
    row = await cur.fetchone()
    return row[0] if row else None


async def save_document(conn: AsyncConnection, profile_id: str, kind: str, body: dict) -> None:
    await conn.execute(
        "INSERT INTO assistant.document (profile_id, kind, body) VALUES (%s, %s, %s) "
        "ON CONFLICT (profile_id, kind) DO UPDATE SET body = EXCLUDED.body, updated_at = now()",
        [profile_id, kind, Jsonb(body)],
    )
