"""Résumés in the layouts people use, written for the tests (no real person's data), with the jobs a reader
finds in them: title, employer, start and end year, and the SOC major group of the occupation. The rule for
the major group: the SOC 2018 major group a person coding the title by hand picks (29 healthcare
practitioners, 31 healthcare support, 41 sales, 43 office, 51 production, 53 transportation …)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    title: str
    employer: str | None
    start: int | None
    end: int | None
    major: str  # SOC major group, two digits


@dataclass(frozen=True)
class Resume:
    name: str
    file: str  # how the test sends it: "txt" (text), "docx", "pdf" (documents.text_pdf), "columns" (two-column PDF)
    text: str
    jobs: tuple[Job, ...]


def _mojibake(text: str) -> str:
    """UTF-8 read as Windows-1252, as résumés copied out of old tools arrive ("â€¢", "Â ")."""
    return text.encode("utf-8").decode("cp1252")


RESUMES = [
    Resume(
        "employer, title, years; a name and an address first; school years",
        "txt",
        """Maria Gonzalez
1420 Oak Street, Springfield, IL 62704
(217) 555-0142 | maria.gonzalez@example.com

Work History
St. Vincent Regional Hospital, Staff Nurse, 2002 - 2024
• Gave medications and monitored patients after surgery
• Trained new nurses on the night shift
Precision Parts Co., Machinist, 1995 - 2002
• Set up and ran CNC lathes
Education
Springfield Community College, Associate Degree in Nursing, 1998 - 2001
""",
        (
            Job("Staff Nurse", "St. Vincent Regional Hospital", 2002, 2024, "29"),
            Job("Machinist", "Precision Parts Co.", 1995, 2002, "51"),
        ),
    ),
    Resume(
        "title — employer — years, a .docx",
        "docx",
        """JAMES PARK
james.park@example.com · 555-201-3344

EXPERIENCE
Truck Driver — Road Freight Inc. — 2010 - 2023
- Drove tractor-trailers on long-haul routes across six states
- Kept logbooks and inspected the truck before each trip
Warehouse Associate — Big Box Logistics — 2004 - 2010
- Loaded and unloaded trucks
Cashier — Corner Market — 2001 - 2004
""",
        (
            Job("Truck Driver", "Road Freight Inc.", 2010, 2023, "53"),
            Job("Warehouse Associate", "Big Box Logistics", 2004, 2010, "53"),
            Job("Cashier", "Corner Market", 2001, 2004, "41"),
        ),
    ),
    Resume(
        "title at employer from … until …",
        "txt",
        """Robert Chen
Professional Experience
Bookkeeper at Hanson & Sons from 1993 until 2021
Kept the books, paid vendors and ran payroll for 40 staff.
Office Clerk at County Records Office from 1988 until 1993
Filed deeds and answered the phone.
""",
        (
            Job("Bookkeeper", "Hanson & Sons", 1993, 2021, "43"),
            Job("Office Clerk", "County Records Office", 1988, 1993, "43"),
        ),
    ),
    Resume(
        "dates first; an award section",
        "txt",
        """Linda Moore
Springfield, IL | 555-987-6543
Employment
06/1998 – 03/2024  Front-End Supervisor, FoodMart
  * Scheduled 20 cashiers and handled refunds
  * Counted the tills at closing
09/1992 – 05/1998  Cashier, FoodMart
  * Rang up groceries
Awards
Employee of the Year, 2015
""",
        (
            Job("Front-End Supervisor", "FoodMart", 1998, 2024, "41"),
            Job("Cashier", "FoodMart", 1992, 1998, "41"),
        ),
    ),
    Resume(
        "title, employer, place, years each on a line, a PDF",
        "pdf",
        """Experience
Customer Service Representative
Acme Telecom
Dallas, TX
2011 - 2024
- Answered customer calls about bills
- Resolved billing complaints
Bank Teller
First Community Bank
Plano, TX
2005 - 2011
- Counted cash and balanced the drawer
""",
        (
            Job("Customer Service Representative", "Acme Telecom", 2011, 2024, "43"),
            Job("Bank Teller", "First Community Bank", 2005, 2011, "43"),
        ),
    ),
    Resume(
        "résumé builder: dates over three lines, then title, employer, place; a duty and an award in bullets",
        "pdf",
        """Patricia Lane
Summary
Dependable sales leader with 14 years in retail.
Skills
Team leadership, inventory, scheduling
Experience
01/2010
to
Current
Sales Manager
Harbor Home Goods Inc.
City, State
• Led a team of 12 sales associates
• Served as backup HR Liaison.
03/2004
to
12/2009
Retail Sales Associate
Harbor Home Goods Inc.
City, State
• Helped customers choose furniture
• Employee of the Month, six times
Education
2000
High School Diploma
Lincoln High School
""",
        (
            Job("Sales Manager", "Harbor Home Goods Inc.", 2010, None, "11"),
            Job("Retail Sales Associate", "Harbor Home Goods Inc.", 2004, 2009, "41"),
        ),
    ),
    Resume(
        "prose",
        "txt",
        "I worked as a machinist at Precision Parts Co. from 1995 to 2023, setting up lathes and checking "
        "every part against the drawing. Before that I was a cook at the Blue Plate Diner from 1989 to 1995.",
        (
            Job("machinist", "Precision Parts Co.", 1995, 2023, "51"),
            Job("cook", "Blue Plate Diner", 1989, 1995, "35"),
        ),
    ),
    Resume(
        "prose: two jobs in one sentence, a name first",
        "txt",
        "My name is Ana. I worked as a nanny for the Lee family from 2001 to 2010 and then as a housekeeper "
        "at the Grand Hotel since 2010.",
        (
            Job("nanny", "Lee family", 2001, 2010, "39"),
            Job("housekeeper", "Grand Hotel", 2010, None, "37"),
        ),
    ),
    Resume(
        "a headline under the name; employer above title, years",
        "txt",
        """Jane Doe
Registered Nurse
Experience
Kaiser Permanente
Registered Nurse, 2012 - 2024
Walgreens
Pharmacy Technician, 2008 - 2012
""",
        (
            Job("Registered Nurse", "Kaiser Permanente", 2012, 2024, "29"),
            Job("Pharmacy Technician", "Walgreens", 2008, 2012, "29"),
        ),
    ),
    Resume(
        "jobs as bullets of other glyphs",
        "txt",
        """Sam Rivera
Experience:
➢ Security Guard | Metro Mall | 2015 – present
   ◦ Patrolled the mall and wrote incident reports
➢ Janitor | Lincoln Elementary School | 2008 – 2015
   ◦ Cleaned classrooms and hallways
""",
        (
            Job("Security Guard", "Metro Mall", 2015, None, "33"),
            Job("Janitor", "Lincoln Elementary School", 2008, 2015, "37"),
        ),
    ),
    Resume(
        "mojibake",
        "txt",
        _mojibake(
            """Angela Brooks
Certified Nursing Assistant, Sunrise Care Home, Jan 2012 - Dec 2023
•\u00a0Helped residents bathe, dress and eat
•\u00a0Took vital signs
Home Health Aide, Caring Hands Agency, 2006 - 2011
•\u00a0Visited clients at home
"""
        ),
        (
            Job("Certified Nursing Assistant", "Sunrise Care Home", 2012, 2023, "31"),
            Job("Home Health Aide", "Caring Hands Agency", 2006, 2011, "31"),
        ),
    ),
    Resume(
        "title with the employer on the dates' line, title above; a name first",
        "txt",
        """Karen White
Office Manager
Summit Dental Group    2016 - 2024
• Ran the front desk and billing
Medical Receptionist
Summit Dental Group    2010 - 2016
""",
        (
            Job("Office Manager", "Summit Dental Group", 2016, 2024, "43"),
            Job("Medical Receptionist", "Summit Dental Group", 2010, 2016, "43"),
        ),
    ),
    Resume(
        "labelled contact lines, pipes, a .docx",
        "docx",
        """DAVID KIM
Phone: 555-303-2211
Email: dkim@example.com
PROFESSIONAL EXPERIENCE
Electrician | Bright Spark Electric LLC | 2012 - 2024
- Wired new homes and fixed faults
Apprentice Electrician | Bright Spark Electric LLC | 2008 - 2012
EDUCATION
Lincoln Technical Institute, 2006 - 2008
""",
        (
            Job("Electrician", "Bright Spark Electric LLC", 2012, 2024, "47"),
            Job("Apprentice Electrician", "Bright Spark Electric LLC", 2008, 2012, "47"),
        ),
    ),
    Resume(
        "two columns in a PDF: dates left, title and employer right (written out of reading order)",
        "columns",
        """2014 - 2024   Dental Assistant, Bright Smile Dental Clinic
   - Prepared patients and sterilized tools
2009 - 2014   Receptionist, Oak Family Practice
   - Booked appointments and answered the phone
""",
        (
            Job("Dental Assistant", "Bright Smile Dental Clinic", 2014, 2024, "31"),
            Job("Receptionist", "Oak Family Practice", 2009, 2014, "43"),
        ),
    ),
    Resume(
        "prose without dates",
        "txt",
        "I was a school bus driver for 22 years. I drove children to school and checked the bus every morning.",
        (Job("school bus driver", None, None, None, "53"),),
    ),
    Resume(
        "Korean: 2012년 3월 - 2024년 2월, employer then title; a name, phone and address first; a .docx",
        "docx",
        """김영희
010-1234-5678 / younghee@example.com
서울특별시 마포구 월드컵로 12

경력
2012년 3월 - 2024년 2월  햇살요양원  요양보호사
- 어르신 식사 및 목욕 보조
- 투약 시간 확인
2005년 1월 - 2012년 2월  한빛마트  계산원
학력
1990년 3월 - 1993년 2월  서울여자고등학교 졸업
""",
        (
            Job("요양보호사", "햇살요양원", 2012, 2024, "31"),
            Job("계산원", "한빛마트", 2005, 2012, "41"),
        ),
    ),
    Resume(
        "Korean: 2009.04 ~ 2024.06, one space between employer and title",
        "txt",
        """이력서
박철수
경력사항
2009.04 ~ 2024.06 대성물류 지게차 운전원
  · 입출고 화물 적재 및 하역
2003.03 ~ 2009.03 한국택시 택시 기사
  · 시내 승객 운송
""",
        (
            Job("지게차 운전원", "대성물류", 2009, 2024, "53"),
            Job("택시 기사", "한국택시", 2003, 2009, "53"),
        ),
    ),
    Resume(
        "Korean: employer (years), title; a licence section",
        "txt",
        """이순자
경력
대성상사 (1998 ~ 2023), 경리 과장
  - 매입 매출 전표 정리, 급여 계산
우리식당 (1993 ~ 1998), 주방 보조
자격증
전산회계 2급 (2001)
""",
        (
            Job("경리 과장", "대성상사", 1998, 2023, "43"),
            Job("주방 보조", "우리식당", 1993, 1998, "35"),
        ),
    ),
    Resume(
        "Korean: (주) employer | title | years to 현재",
        "txt",
        """경력
(주)한라건설 | 현장 안전관리자 | 2015.01 ~ 현재
  - 현장 안전 점검 및 교육
미래전자 주식회사 | 생산직 사원 | 2008.03 ~ 2014.12
""",
        (
            Job("현장 안전관리자", "㈜한라건설", 2015, None, "19"),
            Job("생산직 사원", "미래전자 주식회사", 2008, 2014, "51"),
        ),
    ),
]


FIELDS = ("title", "employer", "start", "end")


def _same(a, b) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.replace("(주)", "㈜").casefold().split()) == " ".join(b.casefold().split())
    return a == b


def _found_fields(job) -> dict:
    """A parsed job (FoundJob or the API's dict) as the fixture's fields."""
    get = job.get if isinstance(job, dict) else lambda name: getattr(job, name)
    return {
        "title": get("title") or None,
        "employer": get("employer") or None,
        "start": get("start_year"),
        "end": get("end_year"),
    }


def aligned(expected: tuple[Job, ...], found: list) -> list[tuple[Job, dict | None, object]]:
    """Each expected job with the found job that agrees with it on most fields (each found job used once)."""
    left = list(range(len(found)))
    pairs = []
    for job in expected:
        fields = {name: getattr(job, name) for name in FIELDS}
        best = max(
            left,
            key=lambda i: sum(_same(fields[n], _found_fields(found[i])[n]) for n in FIELDS),
            default=None,
        )
        if best is not None and any(_same(fields[n], _found_fields(found[best])[n]) for n in FIELDS):
            left.remove(best)
            pairs.append((job, _found_fields(found[best]), found[best]))
        else:
            pairs.append((job, None, None))
    return pairs


def field_scores(results: list[tuple[Resume, list]]) -> dict[str, float]:
    """Field-level precision (right fields / fields the parser filled) and recall (right fields / fields the
    fixture fills), over every résumé: a job split in two or two jobs run together lose their fields."""
    right = filled = expected_filled = 0
    for resume, found in results:
        filled += sum(v is not None for job in found for v in _found_fields(job).values())
        expected_filled += sum(getattr(j, n) is not None for j in resume.jobs for n in FIELDS)
        for job, fields, _ in aligned(resume.jobs, found):
            if fields is not None:
                right += sum(
                    getattr(job, n) is not None and _same(getattr(job, n), fields[n]) for n in FIELDS
                )
    return {"precision": right / filled if filled else 0.0, "recall": right / expected_filled}
