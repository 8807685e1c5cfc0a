"""A person's exposure: the AI scores of the tasks *they* did.

Weighting (docs/methodology.md, "Personal exposure"):
- within a job, each ticked task counts with its O*NET weight in the occupation (marts.occupation_task_weight),
  renormalised over the ticked tasks that have a score: job score = Σ wₜ·sₜ / Σ wₜ;
- across jobs, each job counts with its length in years (end − start + 1; 1 when the years are missing;
  a current job runs to this year): personal score = Σ yearsⱼ·scoreⱼ / Σ yearsⱼ;
- the comparison is the job's occupation score (marts.occupation_ai_score: all of the occupation's tasks),
  combined across jobs with the same year weights. Own duties written in free text have no score and are
  counted, not guessed.
"""

from __future__ import annotations

import datetime as dt

from psycopg import AsyncConnection
from psycopg.rows import dict_row

MOST_LEAST = 5


def job_years(job: dict) -> int:
    start, end = job.get("start_year"), job.get("end_year") or dt.date.today().year
    return max(1, end - start + 1) if start else 1


async def task_scores(conn: AsyncConnection, version: str, task_ids: list[int]) -> dict[int, dict]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            """SELECT t.task_id, t.task_statement, t.soc_code, w.weight, e.mean AS score, e.n_models
               FROM marts.task_statements t
               LEFT JOIN marts.occupation_task_weight w USING (data_version, task_id)
               LEFT JOIN marts.task_ai_ensemble e USING (data_version, task_id)
               WHERE t.data_version = %s AND t.task_id = ANY(%s)""",
            [version, task_ids],
        )
        tasks = {r["task_id"]: {**r, "raters": []} for r in await cur.fetchall()}
        await cur.execute(
            "SELECT task_id, model, score FROM marts.task_model_score WHERE data_version = %s AND task_id = ANY(%s) "
            "ORDER BY task_id, model",
            [version, task_ids],
        )
        for r in await cur.fetchall():
            tasks[r["task_id"]]["raters"].append({"model": r["model"], "score": float(r["score"])})
    return tasks


async def occupation_scores(conn: AsyncConnection, version: str, socs: list[str]) -> dict[str, dict]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            """SELECT m.soc_code, min(m.title) FILTER (WHERE m.onetsoc_code LIKE '%%.00') AS title,
                      min(m.title) AS any_title, s.mean AS score
               FROM marts.occupation_master m
               LEFT JOIN marts.occupation_ai_score s USING (data_version, soc_code)
               WHERE m.data_version = %s AND m.soc_code = ANY(%s) GROUP BY m.soc_code, s.mean""",
            [version, socs],
        )
        return {
            r["soc_code"]: {"title": r["title"] or r["any_title"], "score": r["score"]}
            for r in await cur.fetchall()
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


async def personal_exposure(conn: AsyncConnection, profile: dict) -> dict:
    version = profile["data_version"]
    jobs = profile["jobs"]
    tasks = await task_scores(conn, version, [t for job in jobs for t in job["task_ids"]])
    occupations = await occupation_scores(conn, version, sorted({job["soc_code"] for job in jobs}))
    per_job, scored_tasks = [], []
    total_years = personal_sum = occupation_sum = occupation_years = 0.0
    for job in jobs:
        years = job_years(job)
        mine = [tasks[t] for t in job["task_ids"] if tasks[t]["score"] is not None]
        weight_sum = sum(float(t["weight"] or 0) for t in mine)
        score = (
            sum(float(t["weight"] or 0) * float(t["score"]) for t in mine) / weight_sum
            if weight_sum > 0
            else None
        )
        occupation = occupations.get(job["soc_code"], {})
        if score is not None:
            total_years += years
            personal_sum += years * score
        if occupation.get("score") is not None:
            occupation_years += years
            occupation_sum += years * float(occupation["score"])
        per_job.append(
            {
                "ordinal": job["ordinal"],
                "title": job["title"],
                "soc_code": job["soc_code"],
                "occupation_title": occupation.get("title"),
                "years": years,
                "score": _round(score),
                "occupation_score": _round(occupation.get("score")),
                "tasks_scored": len(mine),
                "tasks_unscored": len(job["task_ids"]) - len(mine),
                "own_duties_unscored": len(job["duties"]),
            }
        )
        scored_tasks += [{**t, "job_ordinal": job["ordinal"]} for t in mine]
    ranked = sorted(scored_tasks, key=lambda t: (-float(t["score"]), t["task_id"]))

    def shown(t: dict) -> dict:
        return {
            "task_id": t["task_id"],
            "task_statement": t["task_statement"],
            "job_ordinal": t["job_ordinal"],
            "score": _round(t["score"]),
            "raters": [{**r, "score": _round(r["score"])} for r in t["raters"]],
        }

    return {
        "score": _round(personal_sum / total_years) if total_years else None,
        "occupation_average": _round(occupation_sum / occupation_years) if occupation_years else None,
        "weighting": "tasks by their O*NET weight within the occupation, renormalised over the tasks you "
        "ticked; jobs by their length in years",
        "jobs": per_job,
        "most_exposed": [shown(t) for t in ranked[:MOST_LEAST]],
        "least_exposed": [shown(t) for t in reversed(ranked[-MOST_LEAST:])] if ranked else [],
    }
