"""Reading a résumé: POST /resumes/parse (built in api/routes/resumes.py; nothing is stored)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CodedOccupation(BaseModel):
    soc_code: str
    title: str
    confidence: float = Field(description="The occupation coder's confidence (0-1).")


class ProposedTask(BaseModel):
    task_id: int
    task_statement: str
    similarity: float | None = Field(
        description="How well the job's duties show it (the requirement matcher's score); null when the job lists "
        "no duties."
    )


class ParsedJob(BaseModel):
    title: str | None
    employer: str | None
    start_year: int | None
    end_year: int | None
    duties: list[str]
    occupations: list[CodedOccupation] = Field(description="The 3 likeliest occupations, best first.")
    proposed_tasks: list[ProposedTask] = Field(
        description="The first occupation's tasks closest to the duties, to confirm."
    )


class ParsedResume(BaseModel):
    data_version: str
    model_version: str = Field(description="The occupation coder's version.")
    jobs: list[ParsedJob]
