"""Parsing the real BLS workbooks: exact row counts, markers → NULL + flag, thousands → persons, and
clear errors on bad input."""

from __future__ import annotations

import dataclasses

import pytest

from occurisk_assets.bls import crosswalks, oews, projections
from occurisk_assets.bls.sources import OewsRelease, ProjectionPeriod
from occurisk_assets.bls.workbook import BlsFileError, measure_value, read_sheet

AGGREGATED_TO_BROAD = ["13-1020", "13-2020", "29-2010", "31-1120", "39-7010", "47-4090", "51-2090"]
PERIOD = ProjectionPeriod.parse("2024-2034")


def read_release(bls_dir, ref: str) -> oews.OewsSheet:
    release = OewsRelease.parse(ref)
    return oews.read_oews(bls_dir / release.workbook_path, release)


@pytest.mark.parametrize("ref, sheet_rows", [("2022-05", 1402), ("2023-05", 1403), ("2024-05", 1403)])
def test_oews_row_counts(bls_dir, ref, sheet_rows):
    parsed = read_release(bls_dir, ref)
    assert parsed.sheet_rows == sheet_rows
    assert parsed.other_rows_skipped == 0  # the national file is all national cross-industry
    # Seven codes are listed twice (broad + detailed); each becomes one 'detailed' row.
    assert parsed.aggregated_to_broad == AGGREGATED_TO_BROAD
    assert len(parsed.rows) == sheet_rows - 7
    assert len({r["soc_code"] for r in parsed.rows}) == len(parsed.rows)
    groups = [r["o_group"] for r in parsed.rows]
    assert (groups.count("total"), groups.count("major"), groups.count("minor")) == (1, 22, 94)
    assert groups.count("broad") == 448
    assert groups.count("detailed") == sheet_rows - 7 - 1 - 22 - 94 - 448


def test_oews_2024_markers_become_null_with_flag(bls_dir):
    rows = {r["soc_code"]: r for r in read_release(bls_dir, "2024-05").rows}
    actors = rows["27-2011"]  # hourly-only: every annual figure is '*' in the sheet (row 467)
    assert actors["sheet_row"] == 467 and actors["hourly_only"] and not actors["annual_only"]
    assert (actors["mean_annual_wage"], actors["mean_annual_wage_flag"]) == (None, "suppressed")
    assert (actors["median_annual_wage"], actors["median_annual_wage_flag"]) == (None, "suppressed")
    assert (actors["mean_hourly_wage"], actors["median_hourly_wage"]) == (44.4, 23.33)
    assert actors["employment"] == 38800
    legislators = rows["11-1031"]  # annual-only: hourly figures are '*'
    assert legislators["annual_only"]
    assert (legislators["mean_hourly_wage"], legislators["mean_hourly_wage_flag"]) == (None, "suppressed")
    assert (legislators["median_annual_wage"], legislators["median_annual_wage_flag"]) == (44810, None)
    surgeons = rows["29-1022"]  # '#' = at or above $239,200 a year / $115.00 an hour
    assert (surgeons["median_annual_wage"], surgeons["median_annual_wage_flag"]) == (None, "top_coded")
    assert (surgeons["median_hourly_wage"], surgeons["median_hourly_wage_flag"]) == (None, "top_coded")
    assert (surgeons["annual_wage_p25"], surgeons["mean_annual_wage"]) == (236780, 360240)
    pediatric = rows["29-1243"]  # top-coded from the 25th percentile up
    assert (pediatric["annual_wage_p25"], pediatric["annual_wage_p25_flag"]) == (None, "top_coded")
    assert pediatric["annual_wage_p10"] == 189720
    top_coded_median = [c for c, r in rows.items() if r["median_annual_wage_flag"] == "top_coded"]
    assert len(top_coded_median) == 19
    # The only published zeros are relative standard errors (of the total, and of the Postal Service census).
    assert {m.column for r in rows.values() for m in oews.MEASURES if r[m.column] == 0} == {
        "employment_prse",
        "mean_wage_prse",
    }


def test_oews_broad_and_detailed_pair_is_one_row(bls_dir):
    rows = {r["soc_code"]: r for r in read_release(bls_dir, "2024-05").rows}
    aides = rows["31-1120"]
    assert (aides["o_group"], aides["aggregated_to_broad"], aides["employment"]) == (
        "detailed",
        True,
        3988140,
    )
    assert aides["sheet_row"] == 615  # the 'detailed' row of the pair
    assert rows["15-1252"]["aggregated_to_broad"] is False


def test_oews_workbook_of_another_year_is_refused(bls_dir):
    with pytest.raises(
        BlsFileError, match=r"national_M2024_dl\.xlsx: holds the May 2024 estimates, not OEWS 2023-05"
    ):
        oews.read_oews(bls_dir / "oews" / "national_M2024_dl.xlsx", OewsRelease.parse("2023-05"))


def test_oews_release_key_must_be_may():
    with pytest.raises(ValueError, match="'2024-06'.*May"):
        OewsRelease.parse("2024-06")


def test_oews_bad_cell_names_file_row_and_column(bls_dir):
    release = OewsRelease.parse("2024-05")
    sheet = read_sheet(bls_dir / release.workbook_path, release.sheet_name)
    tot_emp = sheet.rows[0].index("TOT_EMP")
    rows = [list(r) for r in sheet.rows]
    rows[150][tot_emp] = "n/a"  # spreadsheet row 151: Software Developers
    bad = dataclasses.replace(sheet, rows=rows)
    with pytest.raises(BlsFileError) as error:
        oews.parse_oews_sheet(bad, release)
    assert str(error.value) == (
        f"{sheet.path}: sheet 'national_M2024_dl', row 151, column 'TOT_EMP': "
        "unexpected value 'n/a' (not a number nor a known BLS marker)"
    )


def test_oews_differing_duplicate_is_an_error(bls_dir):
    release = OewsRelease.parse("2024-05")
    sheet = read_sheet(bls_dir / release.workbook_path, release.sheet_name)
    tot_emp = sheet.rows[0].index("TOT_EMP")
    rows = [list(r) for r in sheet.rows]
    broad = next(i for i, r in enumerate(rows) if r[8] == "31-1120" and r[10] == "broad")
    rows[broad][tot_emp] = 1.0
    with pytest.raises(
        BlsFileError,
        match=r"OCC_CODE 31-1120 on rows 614 and 615: the broad and detailed rows "
        r"differ in employment",
    ):
        oews.parse_oews_sheet(dataclasses.replace(sheet, rows=rows), release)


def test_oews_missing_column_is_named(bls_dir):
    release = OewsRelease.parse("2024-05")
    sheet = read_sheet(bls_dir / release.workbook_path, release.sheet_name)
    rows = [list(r) for r in sheet.rows]
    rows[0][rows[0].index("A_MEDIAN")] = "A_MEDIAN_X"
    with pytest.raises(
        BlsFileError, match=r"sheet 'national_M2024_dl': no header row .* missing: 'A_MEDIAN'$"
    ):
        oews.parse_oews_sheet(dataclasses.replace(sheet, rows=rows), release)


def test_measure_value_never_turns_blank_or_unknown_into_a_number():
    never = lambda marker: None  # noqa: E731 — no marker is known
    with pytest.raises(BlsFileError, match="here: empty cell"):
        measure_value("", "integer", 1, never, "here")
    with pytest.raises(BlsFileError, match=r"here: unexpected value '\*\*\*'"):
        measure_value("***", "integer", 1, oews.oews_flag, "here")
    with pytest.raises(BlsFileError, match=r"here: 309\.4567 × 1000 is not a whole number"):
        measure_value(309.4567, "integer", 1000, never, "here")
    assert measure_value(309.4, "integer", 1000, never, "here") == (309400, None)
    assert measure_value("#", "integer", 1, oews.oews_flag, "here") == (None, "top_coded")


def test_projections_rows_and_thousands_to_persons(bls_dir):
    parsed = projections.read_projections(bls_dir / "occupation.xlsx", PERIOD)
    assert len(parsed.rows) == 1113
    types = [r["occupation_type"] for r in parsed.rows]
    assert (types.count("line_item"), types.count("summary")) == (832, 281)
    rows = {r["soc_code"]: r for r in parsed.rows}
    chief = rows["11-1011"]  # 309.4 / 322.7 / 13.3 / 22.2 thousand in the sheet (row 6)
    assert chief["sheet_row"] == 6
    assert (chief["employment_base"], chief["employment_projected"]) == (309400, 322700)
    assert (chief["employment_change"], chief["annual_openings"]) == (13300, 22200)
    assert (chief["growth_pct"], chief["median_annual_wage"]) == (4.3, 206420)
    assert (chief["typical_education"], chief["work_experience"], chief["on_the_job_training"]) == (
        "Bachelor's degree",
        "5 years or more",
        "None",
    )
    software = rows["15-1252"]
    assert (
        software["employment_base"],
        software["employment_projected"],
        software["growth_pct"],
        software["annual_openings"],
    ) == (1693800, 1961400, 15.8, 115200)
    total = rows["00-0000"]
    assert (total["employment_base"], total["employment_projected"], total["annual_openings"]) == (
        169956100,
        175167900,
        18863300,
    )
    assert total["typical_education"] is None  # '—' on summary rows


def test_projections_markers(bls_dir):
    rows = {r["soc_code"]: r for r in projections.read_projections(bls_dir / "occupation.xlsx", PERIOD).rows}
    assert (rows["11-1031"]["self_employed_pct"], rows["11-1031"]["self_employed_pct_flag"]) == (
        None,
        "suppressed",
    )
    # '>=$239,200' is the projections' top-code of the median wage; '—' an unavailable one.
    assert (rows["29-1022"]["median_annual_wage"], rows["29-1022"]["median_annual_wage_flag"]) == (
        None,
        "top_coded",
    )
    assert (rows["27-2011"]["median_annual_wage"], rows["27-2011"]["median_annual_wage_flag"]) == (
        None,
        "suppressed",
    )
    assert sum(r["median_annual_wage_flag"] == "top_coded" for r in rows.values()) == 19
    assert sum(r["median_annual_wage_flag"] == "suppressed" for r in rows.values()) == 9
    assert sum(r["self_employed_pct_flag"] == "suppressed" for r in rows.values()) == 219


def test_projections_of_another_period_are_refused(bls_dir):
    with pytest.raises(
        BlsFileError,
        match=r"sheet 'Table 1.2': no header row .* missing: "
        r"'2023 National Employment Matrix title'",
    ):
        projections.read_projections(bls_dir / "occupation.xlsx", ProjectionPeriod.parse("2023-2033"))


def test_projections_unit_must_be_stated(bls_dir):
    sheet = read_sheet(bls_dir / "occupation.xlsx", projections.SHEET)
    rows = [list(r) for r in sheet.rows]
    rows[0][0] = rows[0][0].replace(" (Employment in thousands)", "")
    with pytest.raises(BlsFileError, match=r"row 1: title .* does not say '\(Employment in thousands\)'"):
        projections.parse_projections_sheet(dataclasses.replace(sheet, rows=rows), PERIOD)


def test_crosswalks(bls_dir):
    nem = crosswalks.read_nem_onet_crosswalk(
        bls_dir / "crosswalks" / "nem_onet_to_soc_crosswalk.xlsx", PERIOD
    )
    assert len(nem) == 997
    by_onetsoc = {r["onetsoc_code"]: r["nem_code"] for r in nem}
    assert by_onetsoc["31-1121.00"] == by_onetsoc["31-1122.00"] == "31-1120"
    assert sum(code[:7] != nem_code for code, nem_code in by_onetsoc.items()) == 34
    coverage = crosswalks.read_nem_coverage(bls_dir / "crosswalks" / "nem_occupational_coverage.xlsx", PERIOD)
    assert len(coverage) == 1113
    assert coverage[0] == {
        "projection_period": "2024-2034",
        "nem_code": "00-0000",
        "title": "Total, all occupations",
        "occupation_type": "summary",
        "level": 0,
        "sheet_row": 5,
    }
    soc = crosswalks.read_soc_2010_2018(bls_dir / "crosswalks" / "soc_2010_to_2018_crosswalk.xlsx")
    assert len(soc) == 900
    assert {r["soc_2018_code"] for r in soc if r["soc_2010_code"] == "15-1132"} == {"15-1252", "15-1253"}


def test_unreadable_workbook_is_named(tmp_path):
    fake = tmp_path / "national_M2024_dl.xlsx"
    fake.write_text("not a workbook")
    with pytest.raises(BlsFileError, match=rf"{fake}: not a readable workbook"):
        read_sheet(fake, "national_M2024_dl")
