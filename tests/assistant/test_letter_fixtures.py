"""Cover letters that answer the ad: ten (profile, ad) fixtures of different jobs and ad styles, each with
what its letter must and must not contain — the role and employer as the ad gives them ("your team" when it
names none), the person's own lines against the ad's demands, nothing the history does not show (no
language, product or licence claimed), no total of years under the age-neutral choice, no repeated sentence
frame, the same letter for the same input — and the fact check."""

from __future__ import annotations

import re

import pytest

from occurisk_assets.assistant.facts import Facts, added_facts
from occurisk_assets.assistant.letter import checklist, draft_letter, role_and_employer
from occurisk_assets.assistant.resume import draft_resume


def job(title, employer, start, end, *duties):
    return {
        "title": title,
        "employer": employer,
        "start_year": start,
        "end_year": end,
        "task_ids": [],
        "duties": list(duties),
    }


CSR = job(
    "Customer service representative",
    "Acme Telecom",
    1999,
    2024,
    "Answered customer calls by phone about bills and service problems",
    "Resolved customer billing complaints and issued refunds",
    "Trained 12 new staff members on the phone system",
)
FIXTURES = [
    {
        "name": "customer service → Northwind (title at employer, bullets)",
        "jobs": [CSR],
        "age_neutral": True,
        "ad": """Customer Success Specialist at Northwind Health
Northwind Health helps clinics run smoothly.
Requirements:
- Answer customer calls by phone
- Resolve customer billing complaints
- Fluent Spanish
- Experience with Salesforce
""",
        "must": [
            "Customer Success Specialist",
            "Northwind Health",
            "I answered customer calls by phone about bills",
            "I resolved customer billing complaints",
        ],
        "must_not": ["Spanish", "Salesforce", "25 years", "your team"],
    },
    {
        "name": "truck driver → no employer named (prose ad)",
        "jobs": [
            job(
                "Truck driver",
                "Road Freight",
                2008,
                2023,
                "Drove tractor-trailers on long-haul routes across six states",
                "Inspected the truck before and after every trip",
            )
        ],
        "age_neutral": False,
        "ad": """Delivery Driver
We are hiring drivers for local routes. You will inspect vehicles before each shift and drive box trucks
to stores. A clean driving record is required. A CDL Class A licence is a must.
""",
        "must": ["Delivery Driver", "your team", "I inspected the truck before and after every trip"],
        "must_not": ["CDL", "licence", "Road Freight is"],
    },
    {
        "name": "nurse aide → care home (labelled fields)",
        "jobs": [
            job(
                "Nursing assistant",
                "Maple Care Home",
                2012,
                2024,
                "Helped residents bathe, dress and eat",
                "Recorded residents' vital signs every shift",
            )
        ],
        "age_neutral": False,
        "ad": """Job title: Care Assistant
Company: Riverside Senior Living
- Help residents with bathing, dressing and meals
- Record vital signs accurately
- CPR certification required
""",
        "must": ["Care Assistant", "Riverside Senior Living", "vital signs"],
        "must_not": ["CPR", "certified"],
    },
    {
        "name": "cashier → retailer (is hiring)",
        "jobs": [
            job(
                "Cashier",
                "Corner Market",
                2015,
                2024,
                "Handled cash and card payments at the till",
                "Counted the till at the end of each day",
            )
        ],
        "age_neutral": False,
        "ad": """Brightway Stores is hiring a Sales Associate for our downtown shop.
- Handle cash and card payments
- Keep the shop floor tidy
- Experience with Shopify POS
""",
        "must": ["Sales Associate", "Brightway Stores", "I handled cash and card payments"],
        "must_not": ["Shopify", "POS"],
    },
    {
        "name": "office clerk → council (join as)",
        "jobs": [
            job(
                "Office clerk",
                "City Hall",
                2001,
                2024,
                "Filed and retrieved paper and electronic records",
                "Answered the phone and took messages",
            )
        ],
        "age_neutral": True,
        "ad": """Join Harbor County as an Administrative Assistant.
Requirements:
- Maintain paper and electronic records
- Answer phone calls and take messages
- Bilingual in English and Korean
""",
        "must": ["Administrative Assistant", "Harbor County", "records"],
        "must_not": ["Korean", "bilingual", "23 years", "2001"],
    },
    {
        "name": "cook → restaurant (dash title)",
        "jobs": [
            job(
                "Line cook",
                "Blue Door Diner",
                2016,
                2024,
                "Prepared breakfast and lunch orders on the grill",
                "Kept the kitchen clean and stocked",
            )
        ],
        "age_neutral": False,
        "ad": """Prep Cook – Olive Street Bistro
- Prepare food orders on the grill
- Keep the kitchen clean and stocked
- ServSafe certificate
""",
        "must": ["Prep Cook", "Olive Street Bistro", "I kept the kitchen clean and stocked"],
        "must_not": ["ServSafe", "certificate"],
    },
    {
        "name": "warehouse → logistics (nothing shown)",
        "jobs": [job("Warehouse worker", "Big Box", 2010, 2020, "Loaded and unloaded trucks")],
        "age_neutral": False,
        "ad": """Inventory Analyst at Lakeside Logistics
- Build inventory reports in Excel and SQL
- Forecast demand with Python
""",
        "must": ["Inventory Analyst", "Lakeside Logistics"],
        "must_not": ["Excel", "SQL", "Python", "forecast"],
    },
    {
        "name": "bookkeeper → accounting firm (prose, employer is looking for)",
        "jobs": [
            job(
                "Bookkeeper",
                "Green Leaf Landscaping",
                2005,
                2024,
                "Processed payroll for 30 staff every two weeks",
                "Reconciled the bank accounts each month",
            )
        ],
        "age_neutral": True,
        "ad": """Payroll Clerk
Summit Partners is looking for a Payroll Clerk. You will process payroll every two weeks and reconcile
accounts each month. Experience with QuickBooks is required.
""",
        "must": ["Payroll Clerk", "Summit Partners", "payroll"],
        "must_not": ["QuickBooks", "19 years", "2005"],
    },
    {
        "name": "security guard → hospital (pipe title)",
        "jobs": [
            job(
                "Security guard",
                "Metro Mall",
                2011,
                2024,
                "Patrolled the building and checked doors every hour",
                "Wrote incident reports",
            )
        ],
        "age_neutral": False,
        "ad": """Security Officer | Mercy General Hospital
- Patrol the building and check doors
- Write incident reports
- Valid guard card licence
""",
        "must": ["Security Officer", "Mercy General Hospital", "I wrote incident reports"],
        "must_not": ["guard card", "licence"],
    },
    {
        "name": "teacher aide → school (title only, no employer)",
        "jobs": [
            job(
                "Teacher assistant",
                "Oak Primary School",
                2014,
                2024,
                "Helped small groups of pupils with reading",
                "Supervised pupils at lunch and break",
            )
        ],
        "age_neutral": False,
        "ad": """Classroom Assistant
- Support small groups of pupils with reading
- Supervise pupils at lunch and break times
- First aid certificate
""",
        "must": ["Classroom Assistant", "your team", "I supervised pupils at lunch and break"],
        "must_not": ["first aid", "certificate"],
    },
]


def letter_for(fixture: dict) -> str:
    draft = draft_resume(fixture["jobs"], {}, [], age_neutral=fixture["age_neutral"], this_year=2026)
    return draft_letter(draft, checklist(fixture["ad"], draft), fixture["ad"]), draft


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f["name"] for f in FIXTURES])
def test_the_letter_answers_the_ad_and_claims_nothing_else(fixture):
    letter, draft = letter_for(fixture)
    for needed in fixture["must"]:
        assert needed in letter, f"{needed!r} missing from:\n{letter}"
    for banned in fixture["must_not"]:
        assert banned.lower() not in letter.lower(), f"{banned!r} in:\n{letter}"
    assert not added_facts(Facts.of(draft.text(), fixture["ad"], "I"), letter), letter
    if fixture["age_neutral"]:
        assert not re.search(r"\d+ years", letter)
    sentences = [s for s in re.split(r"(?<=[.:])\s+", letter) if s]
    openings = [" ".join(s.split()[:3]) for s in sentences]
    assert len(openings) == len(set(openings)), f"a repeated sentence frame:\n{letter}"
    assert letter == letter_for(fixture)[0]  # deterministic


def test_role_and_employer_come_from_the_ad_or_stay_unnamed():
    assert role_and_employer("Customer Success Specialist at Northwind Health\n…") == (
        "Customer Success Specialist",
        "Northwind Health",
    )
    assert role_and_employer("Job title: Care Assistant\nCompany: Riverside Senior Living") == (
        "Care Assistant",
        "Riverside Senior Living",
    )
    assert role_and_employer("We are hiring drivers for local routes.") == (None, None)
