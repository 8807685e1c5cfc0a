"""How a posting's requirements meet a résumé's lines: words are compared by stem, so an ad's plurals and
tenses meet the résumé's own wording, and a requirement the history does not cover stays unmet."""

from occurisk_assets.assistant.letter import checklist
from occurisk_assets.assistant.resume import JobSection, ResumeDraft

POSTING = """Customer Care Associate
- Experience answering customers' inquiries by phone
- Resolving billing complaints
- Forklift certification
"""


def draft() -> ResumeDraft:
    job = JobSection(
        title="Customer Service Representative",
        employer="Acme Mutual",
        dates="1999–2024",
        bullets=["Answered customer inquiry calls about accounts.", "Resolved a billing complaint each day."],
    )
    return ResumeDraft(summary="", jobs=[job], skills=["Active Listening"], age_neutral=False)


def test_plurals_and_tenses_meet_and_uncovered_requirements_stay_unmet():
    items = {item.requirement: item for item in checklist(POSTING, draft())}
    assert [r for r, item in items.items() if item.met] == [
        "Experience answering customers' inquiries by phone",
        "Resolving billing complaints",
    ]
    assert items["Resolving billing complaints"].evidence == "Resolved a billing complaint each day."
    assert not items["Forklift certification"].met and items["Forklift certification"].evidence is None
