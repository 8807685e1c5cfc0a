"""Link the platform's occupation key (O*NET `soc_code`, e.g. '15-1252') to BLS rows.

For each O*NET SOC code and each BLS source (OEWS, projections), first rule that applies:
- 'exact':     the code itself is published by BLS;
- 'crosswalk': the BLS O*NET-SOC → NEM crosswalk sends the code's O*NET occupations to one other BLS code
               that no other O*NET SOC code shares;
- 'aggregate': as 'crosswalk', but the BLS code covers several O*NET SOC codes (e.g. 31-1121 Home Health
               Aides and 31-1122 Personal Care Aides → 31-1120): its figures are for the whole group and
               must not be summed across those O*NET codes;
- 'soc_2010':  a SOC 2010 code (older O*NET taxonomies) whose SOC 2018 successor(s) lead to exactly one
               BLS code;
- 'none':      nothing — e.g. military occupations (55-xxxx) are in neither source.
A code leading to several BLS codes (an O*NET code coarser than BLS) is 'none' rather than a guess.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import psycopg

from occurisk_assets.bls.loader import replace_rows

MatchType = Literal["exact", "crosswalk", "aggregate", "soc_2010", "none"]
MATCH_TYPES: tuple[MatchType, ...] = ("exact", "crosswalk", "aggregate", "soc_2010", "none")


@dataclass(frozen=True)
class Match:
    bls_code: str | None
    match_type: MatchType


@dataclass
class Crosswalks:
    nem_by_soc: dict[str, set[str]]  # O*NET SOC code → NEM codes of its O*NET-SOC occupations
    socs_by_nem: dict[str, set[str]]  # NEM code → O*NET SOC codes it covers
    soc_2018_by_2010: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, onetsoc_to_nem: Iterable[tuple[str, str]], soc_2010_to_2018: Iterable[tuple[str, str]] = ()
    ) -> Crosswalks:
        nem_by_soc: dict[str, set[str]] = defaultdict(set)
        socs_by_nem: dict[str, set[str]] = defaultdict(set)
        for onetsoc, nem in onetsoc_to_nem:
            nem_by_soc[onetsoc[:7]].add(nem)
            socs_by_nem[nem].add(onetsoc[:7])
        by_2010: dict[str, set[str]] = defaultdict(set)
        for old, new in soc_2010_to_2018:
            by_2010[old].add(new)
        return cls(dict(nem_by_soc), dict(socs_by_nem), dict(by_2010))


def _bls_codes(code: str, published: set[str], crosswalks: Crosswalks) -> set[str]:
    """The published BLS codes a SOC code leads to: itself, else its NEM codes."""
    if code in published:
        return {code}
    return {n for n in crosswalks.nem_by_soc.get(code, ()) if n in published}


def match_code(code: str, published: set[str], crosswalks: Crosswalks) -> Match:
    if code in published:
        return Match(code, "exact")
    targets = _bls_codes(code, published, crosswalks)
    if len(targets) == 1:
        (target,) = targets
        shared = len(crosswalks.socs_by_nem.get(target, ())) > 1
        return Match(target, "aggregate" if shared else "crosswalk")
    if not targets:
        successors = crosswalks.soc_2018_by_2010.get(code, set()) - {code}
        reached = set().union(*(_bls_codes(s, published, crosswalks) for s in successors))
        if len(reached) == 1:
            return Match(reached.pop(), "soc_2010")
    return Match(None, "none")


def link_codes(soc_codes: Iterable[str], published: set[str], crosswalks: Crosswalks) -> dict[str, Match]:
    return {code: match_code(code, published, crosswalks) for code in sorted(set(soc_codes))}


@dataclass
class SideReport:
    """How one BLS source matched: counts per match type and what matched nothing, on each side."""

    counts: dict[str, int]
    onet_unmatched: list[str]  # O*NET SOC codes without a BLS row
    bls_unmatched: list[str]  # detailed BLS codes no O*NET SOC code reaches


def side_report(matches: Mapping[str, Match], detailed_bls_codes: Iterable[str]) -> SideReport:
    counts = Counter(m.match_type for m in matches.values())
    reached = {m.bls_code for m in matches.values()}
    return SideReport(
        counts={t: counts.get(t, 0) for t in MATCH_TYPES},
        onet_unmatched=sorted(c for c, m in matches.items() if m.match_type == "none"),
        bls_unmatched=sorted(set(detailed_bls_codes) - reached),
    )


@dataclass
class LinkReport:
    data_version: str
    ref_year_month: str
    projection_period: str
    onet_soc_codes: int
    oews: SideReport
    proj: SideReport


class LinkInputMissing(Exception):
    """The tables the link is built from are not loaded."""


def onet_soc_codes(conn: psycopg.Connection, data_version: str) -> list[str]:
    """The O*NET SOC codes of a data_version, from the dbt mart `marts.occupation_master`."""
    if conn.execute("SELECT to_regclass('marts.occupation_master')").fetchone()[0] is None:
        raise LinkInputMissing(
            "marts.occupation_master does not exist: build the O*NET marts (dbt) first, "
            "or pass the SOC codes explicitly"
        )
    codes = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT soc_code FROM marts.occupation_master WHERE data_version = %s", (data_version,)
        )
    ]
    if not codes:
        raise LinkInputMissing(f"marts.occupation_master has no rows for data_version {data_version}")
    return codes


def _latest(conn: psycopg.Connection, table: str, column: str, what: str) -> str:
    value = conn.execute(f"SELECT max({column}) FROM bls.{table}").fetchone()[0]
    if value is None:
        raise LinkInputMissing(f"bls.{table} is empty: load {what} first (occurisk bls-load)")
    return value


def _codes(conn: psycopg.Connection, query: str, param: str) -> tuple[set[str], set[str]]:
    """(every published code, the detailed ones) of one source and period."""
    rows = conn.execute(query, (param,)).fetchall()
    return {code for code, _ in rows}, {code for code, detailed in rows if detailed}


def load_crosswalks(conn: psycopg.Connection, projection_period: str) -> Crosswalks:
    nem = conn.execute(
        "SELECT onetsoc_code, nem_code FROM bls.nem_onet_crosswalk WHERE projection_period = %s",
        (projection_period,),
    ).fetchall()
    if not nem:
        raise LinkInputMissing(
            f"bls.nem_onet_crosswalk has no rows for {projection_period}: load it first "
            "(occurisk bls-load --projections)"
        )
    soc_2010 = conn.execute("SELECT soc_2010_code, soc_2018_code FROM bls.soc_2010_2018_crosswalk").fetchall()
    if not soc_2010:
        raise LinkInputMissing(
            "bls.soc_2010_2018_crosswalk is empty: load it first (occurisk bls-load --projections)"
        )
    return Crosswalks.build(nem, soc_2010)


def build_soc_bls_link(
    conn: psycopg.Connection,
    data_version: str,
    soc_codes: Iterable[str] | None = None,
    ref_year_month: str | None = None,
    projection_period: str | None = None,
) -> LinkReport:
    """Rebuild `bls.soc_bls_link` for `data_version` (the O*NET codes come from `marts.occupation_master`
    unless given) against one OEWS release and one projection period (default: the latest loaded)."""
    codes = sorted(set(soc_codes)) if soc_codes is not None else onet_soc_codes(conn, data_version)
    if not codes:
        raise LinkInputMissing(f"no O*NET SOC codes to link for data_version {data_version}")
    ref_year_month = ref_year_month or _latest(conn, "bls_oews_metrics", "ref_year_month", "OEWS")
    projection_period = projection_period or _latest(
        conn, "bls_proj_metrics", "projection_period", "the projections"
    )
    crosswalks = load_crosswalks(conn, projection_period)
    oews_all, oews_detailed = _codes(
        conn,
        "SELECT soc_code, o_group = 'detailed' FROM bls.bls_oews_metrics WHERE ref_year_month = %s",
        ref_year_month,
    )
    proj_all, proj_detailed = _codes(
        conn,
        "SELECT soc_code, occupation_type = 'line_item' "
        "FROM bls.bls_proj_metrics WHERE projection_period = %s",
        projection_period,
    )
    if not oews_all or not proj_all:
        raise LinkInputMissing(f"OEWS {ref_year_month} or projections {projection_period} is not loaded")
    oews_matches = link_codes(codes, oews_all, crosswalks)
    proj_matches = link_codes(codes, proj_all, crosswalks)
    rows = [
        {
            "data_version": data_version,
            "soc_code": code,
            "ref_year_month": ref_year_month,
            "oews_soc_code": oews_matches[code].bls_code,
            "oews_match_type": oews_matches[code].match_type,
            "projection_period": projection_period,
            "proj_soc_code": proj_matches[code].bls_code,
            "proj_match_type": proj_matches[code].match_type,
        }
        for code in codes
    ]
    replace_rows(conn, "soc_bls_link", list(rows[0]), rows, {"data_version": data_version})
    return LinkReport(
        data_version,
        ref_year_month,
        projection_period,
        len(codes),
        side_report(oews_matches, oews_detailed),
        side_report(proj_matches, proj_detailed),
    )
