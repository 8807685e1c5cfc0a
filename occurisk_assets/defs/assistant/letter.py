"""The cover letter: the posting's key requirements, each matched to the person's experience (a checklist, by
the one requirement matcher of occurisk_assets.text), and a letter from templates that only restates what the
résumé draft says."""

from __future__ import annotations

from occurisk_assets.defs.assistant.resume import ResumeDraft
from occurisk_assets.text.requirements import Judgement, check_ad


def checklist(posting: str, draft: ResumeDraft) -> list[Judgement]:
    """The posting's single demands, each judged shown / partly shown / not shown by the résumé's lines (the
    person's ticked tasks and own duties as bullets, and their skills), quoting the line that shows it."""
    return check_ad(posting, [b for job in draft.jobs for b in job.bullets] + draft.skills)


def draft_letter(draft: ResumeDraft, items: list[Judgement]) -> str:
    met = [r for r in items if r.met]
    recent = draft.jobs[0] if draft.jobs else None
    lines = ["Dear hiring manager,", ""]
    opening = "I am writing to apply for this position."
    if recent is not None:
        opening += (
            f" My most recent role was {recent.title}"
            + (f" at {recent.employer}" if recent.employer else "")
            + "."
        )
    lines += [opening, ""]
    if met:
        lines.append("Your posting asks for the following, and my experience matches:")
        for r in met:
            lines.append(f"- {r.requirement}: {r.evidence[0].lower() + r.evidence[1:] if r.evidence else ''}")
        lines.append("")
    lines.append(draft.summary)
    if draft.skills:
        lines += ["", "I bring skills in " + ", ".join(s.lower() for s in draft.skills[:5]) + "."]
    lines += [
        "",
        "I would welcome the chance to talk about how I can help. Thank you for your time.",
        "",
        "Yours sincerely,",
    ]
    return "\n".join(lines) + "\n"
