"""The résumé confirm form (/my-work…/resume/confirm) as pydantic models: its fields are numbered per job
(`title-0`, `task-0` …, `jobs` = how many), and are parsed here once into a list of jobs, each with its
fields as typed, rather than read one by one by the route."""

from __future__ import annotations

import re

from pydantic import BaseModel
from starlette.datastructures import FormData

from api.pages.numbers import whole_number
from occurisk_assets.assistant.profiles import MAX_JOBS

# A numbered field: its name and the job it belongs to (0 … MAX_JOBS - 1, written as the form writes it).
NUMBERED = re.compile(
    r"(?P<name>title|employer|start_year|end_year|duties|keep|soc|task|offered-soc|offered-task|coder-input)"
    r"-(?P<job>0|[1-9][0-9]{0,3})"
)
REPEATED = {"task", "offered_soc", "offered_task"}


class SentJob(BaseModel):
    """One job of the confirm page as it was sent: text as typed, choices as their values."""

    title: str = ""
    employer: str = ""
    start_year: str = ""
    end_year: str = ""
    duties: str = ""
    keep: str = ""
    soc: str = ""
    task: list[str] = []
    offered_soc: list[str] = []
    offered_task: list[str] = []
    coder_input: str = ""  # the hash of the text the coder coded (for the person's label, never the text)

    @property
    def kept(self) -> bool:
        return self.keep == "yes"

    @property
    def details(self) -> dict[str, str]:
        """The years-and-employer fields, as the details check takes them."""
        return {
            "title": self.title,
            "employer": self.employer,
            "start_year": self.start_year,
            "end_year": self.end_year,
        }

    @property
    def offered_task_ids(self) -> list[int]:
        return [n for v in self.offered_task if (n := whole_number(v)) is not None]


class ResumeConfirmForm(BaseModel):
    jobs: list[SentJob]
    coder_model: str = ""  # the coder version that offered the occupations

    @classmethod
    def of(cls, form: FormData) -> ResumeConfirmForm:
        """The jobs the form says it has (`jobs`, at most MAX_JOBS); a field of any other job is ignored."""
        count = min(whole_number(form.get("jobs")) or 0, MAX_JOBS)
        jobs: list[dict] = [{} for _ in range(count)]
        for key, value in form.multi_items():
            match = NUMBERED.fullmatch(key)
            if match is None or int(match["job"]) >= count or not isinstance(value, str):
                continue
            name, fields = match["name"].replace("-", "_"), jobs[int(match["job"])]
            if name in REPEATED:
                fields.setdefault(name, []).append(value)
            else:
                fields[name] = value  # the last, as form.get gives
        model = form.get("coder-model")
        return cls(
            jobs=[SentJob(**fields) for fields in jobs], coder_model=model if isinstance(model, str) else ""
        )
