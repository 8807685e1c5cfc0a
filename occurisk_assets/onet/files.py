"""What an O*NET text release contains: the files we expect, their accepted headers, column types and keys.

A file we know is validated against its accepted header(s); a file we do not know (a future release may
add one) is loaded generically, typed by header name. Column and table names follow one rule (see
`snake`), so the raw schema is predictable from the files alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INTEGER, NUMERIC, TEXT = "integer", "numeric", "text"

# Types by header name, shared by every file; per-file overrides below where a name means two things.
HEADER_TYPES: dict[str, str] = {
    "Task ID": INTEGER,
    "Original Task ID": INTEGER,
    "Incumbents Responding": INTEGER,
    "Data Value": NUMERIC,
    "N": INTEGER,
    "Standard Error": NUMERIC,
    "Lower CI Bound": NUMERIC,
    "Upper CI Bound": NUMERIC,
    "Job Zone": INTEGER,
    "Index": INTEGER,
    "Anchor Value": INTEGER,
    "Minimum": NUMERIC,
    "Maximum": NUMERIC,
    "Percent": NUMERIC,
    "Commodity Code": INTEGER,
    "Class Code": INTEGER,
    "Family Code": INTEGER,
    "Segment Code": INTEGER,
}


def snake(name: str) -> str:
    """`O*NET-SOC Code` → `onetsoc_code`, `Education, Training, and Experience` → `education_training_and_experience`."""
    name = name.replace("O*NET-SOC", "onetsoc")
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


@dataclass(frozen=True)
class FileSpec:
    file_name: str
    headers: tuple[tuple[str, ...], ...]  # every header this file has had across releases, newest first
    natural_key: tuple[str, ...] = ()  # header names; uniqueness is an asset check, not a constraint
    required: bool = False
    type_overrides: tuple[tuple[str, str], ...] = ()

    @property
    def table(self) -> str:
        return snake(self.file_name.removesuffix(".txt"))

    def column_type(self, header: str) -> str:
        return dict(self.type_overrides).get(header, HEADER_TYPES.get(header, TEXT))

    @property
    def columns(self) -> list[tuple[str, str]]:
        """(column name, SQL type) for the union of all accepted headers, in first-seen order."""
        seen: dict[str, str] = {}
        for header in self.headers:
            for h in header:
                seen.setdefault(snake(h), self.column_type(h))
        return list(seen.items())


def generic_spec(file_name: str, header: tuple[str, ...]) -> FileSpec:
    """A file we have no spec for: accept its header as it is, type columns by header name."""
    return FileSpec(file_name=file_name, headers=(header,))


_RATING = (
    "O*NET-SOC Code",
    "Element ID",
    "Element Name",
    "Scale ID",
    "Data Value",
    "N",
    "Standard Error",
    "Lower CI Bound",
    "Upper CI Bound",
    "Recommend Suppress",
    "Not Relevant",
    "Date",
    "Domain Source",
)
_RATING_CATEGORY = (
    "O*NET-SOC Code",
    "Element ID",
    "Element Name",
    "Scale ID",
    "Category",
    "Data Value",
    "N",
    "Standard Error",
    "Lower CI Bound",
    "Upper CI Bound",
    "Recommend Suppress",
    "Date",
    "Domain Source",
)
_ELEMENT_VALUE = (
    "O*NET-SOC Code",
    "Element ID",
    "Element Name",
    "Scale ID",
    "Data Value",
    "Date",
    "Domain Source",
)
_ELEMENT_SCALE_KEY = ("O*NET-SOC Code", "Element ID", "Scale ID")


def _crosswalk(left: str, right: str) -> FileSpec:
    return FileSpec(
        file_name=f"{left} to {right}.txt",
        headers=(
            (f"{left} Element ID", f"{left} Element Name", f"{right} Element ID", f"{right} Element Name"),
        ),
        natural_key=(f"{left} Element ID", f"{right} Element ID"),
    )


SPECS: tuple[FileSpec, ...] = (
    # Core tables (explicit, used downstream).
    FileSpec(
        "Occupation Data.txt",
        (("O*NET-SOC Code", "Title", "Description"),),
        ("O*NET-SOC Code",),
        required=True,
    ),
    FileSpec(
        "Task Statements.txt",
        (
            (
                "O*NET-SOC Code",
                "Task ID",
                "Task",
                "Task Type",
                "Incumbents Responding",
                "Date",
                "Domain Source",
            ),
        ),
        ("Task ID",),
        required=True,
    ),
    FileSpec(
        "Task Ratings.txt",
        (
            (
                "O*NET-SOC Code",
                "Task ID",
                "Scale ID",
                "Category",
                "Data Value",
                "N",
                "Standard Error",
                "Lower CI Bound",
                "Upper CI Bound",
                "Recommend Suppress",
                "Date",
                "Domain Source",
            ),
        ),
        ("O*NET-SOC Code", "Task ID", "Scale ID", "Category"),
        type_overrides=(("Category", INTEGER),),
    ),
    FileSpec(
        "Alternate Titles.txt",
        (("O*NET-SOC Code", "Alternate Title", "Short Title", "Source(s)"),),
        ("O*NET-SOC Code", "Alternate Title", "Short Title", "Source(s)"),
    ),
    FileSpec(
        "Sample of Reported Titles.txt",
        (("O*NET-SOC Code", "Reported Job Title", "Shown in My Next Move"),),
        ("O*NET-SOC Code", "Reported Job Title"),
    ),
    FileSpec(
        "Tasks to DWAs.txt",
        (("O*NET-SOC Code", "Task ID", "DWA ID", "Date", "Domain Source"),),
        ("O*NET-SOC Code", "Task ID", "DWA ID"),
    ),
    FileSpec("DWA Reference.txt", (("Element ID", "IWA ID", "DWA ID", "DWA Title"),), ("DWA ID",)),
    FileSpec("IWA Reference.txt", (("Element ID", "IWA ID", "IWA Title"),), ("IWA ID",)),
    FileSpec(
        "Job Zones.txt", (("O*NET-SOC Code", "Job Zone", "Date", "Domain Source"),), ("O*NET-SOC Code",)
    ),
    FileSpec("Skills.txt", (_RATING,), _ELEMENT_SCALE_KEY),
    FileSpec("Knowledge.txt", (_RATING,), _ELEMENT_SCALE_KEY),
    FileSpec(
        "Technology Skills.txt",
        (("O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand"),),
        ("O*NET-SOC Code", "Example", "Commodity Code"),
    ),
    FileSpec(
        "Emerging Tasks.txt",
        (
            (
                "O*NET-SOC Code",
                "Task",
                "Category",
                "Original Task ID",
                "Original Task",
                "Date",
                "Domain Source",
            ),
        ),
        ("O*NET-SOC Code", "Task"),
    ),
    FileSpec(
        "Related Occupations.txt",
        (("O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index"),),
        ("O*NET-SOC Code", "Related O*NET-SOC Code"),
    ),
    FileSpec(
        "Content Model Reference.txt", (("Element ID", "Element Name", "Description"),), ("Element ID",)
    ),
    FileSpec("Scales Reference.txt", (("Scale ID", "Scale Name", "Minimum", "Maximum"),), ("Scale ID",)),
    # The rest of the release.
    FileSpec("Abilities.txt", (_RATING,), _ELEMENT_SCALE_KEY),
    FileSpec("Work Activities.txt", (_RATING,), _ELEMENT_SCALE_KEY),
    FileSpec(
        "Work Context.txt",
        (_RATING_CATEGORY[:11] + ("Not Relevant",) + _RATING_CATEGORY[11:],),
        ("O*NET-SOC Code", "Element ID", "Scale ID", "Category"),
        type_overrides=(("Category", INTEGER),),
    ),
    # 30.1 dropped N / SE / CI from Work Styles (and added the DR and WI scales).
    FileSpec(
        "Work Styles.txt",
        (
            _ELEMENT_VALUE,
            (
                "O*NET-SOC Code",
                "Element ID",
                "Element Name",
                "Scale ID",
                "Data Value",
                "N",
                "Standard Error",
                "Lower CI Bound",
                "Upper CI Bound",
                "Recommend Suppress",
                "Date",
                "Domain Source",
            ),
        ),
        _ELEMENT_SCALE_KEY,
    ),
    FileSpec("Work Values.txt", (_ELEMENT_VALUE,), _ELEMENT_SCALE_KEY),
    FileSpec("Interests.txt", (_ELEMENT_VALUE,), _ELEMENT_SCALE_KEY),
    FileSpec(
        "Education, Training, and Experience.txt",
        (_RATING_CATEGORY,),
        ("O*NET-SOC Code", "Element ID", "Scale ID", "Category"),
        type_overrides=(("Category", INTEGER),),
    ),
    FileSpec(
        "Education, Training, and Experience Categories.txt",
        (("Element ID", "Element Name", "Scale ID", "Category", "Category Description"),),
        ("Element ID", "Scale ID", "Category"),
        type_overrides=(("Category", INTEGER),),
    ),
    FileSpec(
        "Work Context Categories.txt",
        (("Element ID", "Element Name", "Scale ID", "Category", "Category Description"),),
        ("Element ID", "Scale ID", "Category"),
        type_overrides=(("Category", INTEGER),),
    ),
    FileSpec(
        "Task Categories.txt",
        (("Scale ID", "Category", "Category Description"),),
        ("Scale ID", "Category"),
        type_overrides=(("Category", INTEGER),),
    ),
    FileSpec(
        "Job Zone Reference.txt",
        (("Job Zone", "Name", "Experience", "Education", "Job Training", "Examples", "SVP Range"),),
        ("Job Zone",),
    ),
    FileSpec(
        "Level Scale Anchors.txt",
        (("Element ID", "Element Name", "Scale ID", "Anchor Value", "Anchor Description"),),
        ("Element ID", "Scale ID", "Anchor Value"),
    ),
    FileSpec(
        "Occupation Level Metadata.txt",
        (("O*NET-SOC Code", "Item", "Response", "N", "Percent", "Date"),),
        ("O*NET-SOC Code", "Item", "Response"),
    ),
    FileSpec(
        "Survey Booklet Locations.txt",
        (("Element ID", "Element Name", "Survey Item Number", "Scale ID"),),
        ("Element ID", "Survey Item Number", "Scale ID"),
    ),
    FileSpec(
        "Tools Used.txt",
        (("O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title"),),
        ("O*NET-SOC Code", "Example", "Commodity Code"),
    ),
    FileSpec(
        "UNSPSC Reference.txt",
        (
            (
                "Commodity Code",
                "Commodity Title",
                "Class Code",
                "Class Title",
                "Family Code",
                "Family Title",
                "Segment Code",
                "Segment Title",
            ),
        ),
        ("Commodity Code",),
    ),
    FileSpec(
        "RIASEC Keywords.txt",
        (("Element ID", "Element Name", "Keyword", "Keyword Type"),),
        ("Element ID", "Keyword", "Keyword Type"),
    ),
    FileSpec(
        "Interests Illustrative Activities.txt",
        (("Element ID", "Element Name", "Interest Type", "Activity"),),
        ("Element ID", "Interest Type", "Activity"),
    ),
    FileSpec(
        "Interests Illustrative Occupations.txt",
        (("Element ID", "Element Name", "Interest Type", "O*NET-SOC Code"),),
        ("Element ID", "Interest Type", "O*NET-SOC Code"),
    ),
    _crosswalk("Abilities", "Work Activities"),
    _crosswalk("Abilities", "Work Context"),
    _crosswalk("Skills", "Work Activities"),
    _crosswalk("Skills", "Work Context"),
    _crosswalk("Basic Interests", "RIASEC"),
)

SPEC_BY_FILE: dict[str, FileSpec] = {spec.file_name: spec for spec in SPECS}
SPEC_BY_TABLE: dict[str, FileSpec] = {spec.table: spec for spec in SPECS}
REQUIRED_FILES = tuple(spec.file_name for spec in SPECS if spec.required)
# Files of a release that carry no table.
NON_DATA_FILES = frozenset({"Read Me.txt"})
