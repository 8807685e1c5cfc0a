"""The résumé confirm form's numbered fields parsed by its model (api/pages/my_work_forms.py)."""

from __future__ import annotations

from starlette.datastructures import FormData

from api.pages.my_work_forms import ResumeConfirmForm


def test_numbered_fields_become_one_model_per_job():
    form = FormData(
        [
            ("jobs", "2"),
            ("title-0", "Clerk"),
            ("keep-0", "yes"),
            ("soc-0", "43-4051"),
            ("task-0", "11"),
            ("task-0", "12"),
            ("offered-soc-0", "43-4051"),
            ("offered-soc-0", "43-9061"),
            ("offered-task-0", "11"),
            ("offered-task-0", "x"),
            ("start_year-1", "1999"),
            ("title-2", "beyond the count"),
            ("title-01", "not a job number"),
        ]
    )
    first, second = ResumeConfirmForm.of(form).jobs
    assert (first.title, first.kept, first.soc, first.task) == ("Clerk", True, "43-4051", ["11", "12"])
    assert first.offered_soc == ["43-4051", "43-9061"] and first.offered_task_ids == [11]
    assert first.details == {"title": "Clerk", "employer": "", "start_year": "", "end_year": ""}
    assert (second.title, second.kept, second.start_year) == ("", False, "1999")


def test_a_form_without_a_job_count_has_no_jobs():
    assert ResumeConfirmForm.of(FormData([("title-0", "Clerk")])).jobs == []
