"""The postings assets, partitioned by collection day: collected (the configured crawls and USAJOBS
queries, run for the current day only) → cleaned → coded → mix_drift. Checks: rows received, duplicate
rate, share coded with confidence above the threshold."""

import datetime as dt

import dagster as dg

from occurisk_assets.defs.postings.partitions import postings_days
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.postings.cleaning import clean_postings
from occurisk_assets.postings.coding import CoderUnavailable, code_postings, load_coder
from occurisk_assets.postings.crawler import CrawlRefused, crawl
from occurisk_assets.postings.drift import compute_drift, store_drift, to_markdown
from occurisk_assets.postings.sources import fetch_options, load_sources
from occurisk_assets.postings.usajobs import UsajobsClient, UsajobsError, fetch_usajobs
from occurisk_assets.resources import PlatformDatabase
from occurisk_assets.versions import active_version

GROUP = "postings"
COLLECTED = dg.AssetKey(["postings", "collected"])
CLEANED = dg.AssetKey(["postings", "cleaned"])
CODED = dg.AssetKey(["postings", "coded"])
MIX_DRIFT = dg.AssetKey(["postings", "mix_drift"])


def _day(context: dg.AssetExecutionContext) -> dt.date:
    return dt.date.fromisoformat(context.partition_key)


def _day_counts(conn, day: dt.date) -> dict[str, int]:
    return dict(
        conn.execute(
            "SELECT status, count(*) FROM postings.posting WHERE collected_on = %s GROUP BY 1", (day,)
        ).fetchall()
    )


@dg.asset(
    key=COLLECTED,
    group_name=GROUP,
    partitions_def=postings_days,
    kinds={"postgres"},
    check_specs=[dg.AssetCheckSpec("has_rows", asset=COLLECTED)],
    description="Postings collected on the day: the configured crawls and USAJOBS queries "
    "(OCCURISK_POSTINGS_SOURCES), run only when the partition is today (a past day cannot be re-collected); "
    "files imported with `occurisk postings import` land in the day they were imported.",
)
def postings_collected(context: dg.AssetExecutionContext, database: PlatformDatabase):
    day = _day(context)
    settings = get_settings()
    sources = load_sources(settings=settings)
    meta: dict = {}
    with database.connect(autocommit=True) as conn:
        if day == dt.datetime.now(dt.UTC).date():
            for seed in sources.crawls:
                try:
                    report = crawl(
                        conn, seed.url, fetch_options(settings, seed.delay_s), seed.max_pages,
                        sources.forbidden_hosts, collected_on=day,
                    )  # fmt: skip
                except CrawlRefused as exc:
                    context.log.warning(str(exc))
                    continue
                meta[f"crawl {seed.url}"] = f"{report.status}: {dict(report.outcomes)}"
            if sources.usajobs and settings.usajobs_api_key and settings.usajobs_email:
                client = UsajobsClient(
                    settings.usajobs_api_key, settings.usajobs_email, settings.usajobs_base_url
                )
                for query in sources.usajobs:
                    try:
                        report = fetch_usajobs(conn, client, query.params, query.max_pages, collected_on=day)
                        meta[f"usajobs {query.params}"] = f"{report.items} postings"
                    except UsajobsError as exc:
                        context.log.warning(str(exc))
            elif sources.usajobs:
                context.log.warning("USAJOBS queries configured but OCCURISK_USAJOBS_API_KEY/_EMAIL unset")
        else:
            context.log.info(f"{day} is not today: nothing fetched, the day's stored postings are counted")
        counts = _day_counts(conn, day)
    n = sum(counts.values())
    yield dg.MaterializeResult(metadata={"rows": n, **{f"status {k}": v for k, v in counts.items()}, **meta})
    yield dg.AssetCheckResult(
        check_name="has_rows",
        passed=n > 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"rows": n},
        description=f"{n} postings collected on {day}",
    )


@dg.asset(
    key=CLEANED,
    group_name=GROUP,
    partitions_def=postings_days,
    deps=[COLLECTED],
    kinds={"postgres"},
    check_specs=[dg.AssetCheckSpec("duplicate_rate", asset=CLEANED)],
    description="Every new posting validated (title and description required), de-duplicated (exact + "
    "MinHash near duplicates against all accepted postings) and its language detected.",
)
def postings_cleaned(context: dg.AssetExecutionContext, database: PlatformDatabase):
    day = _day(context)
    with database.connect(autocommit=True) as conn:
        counts = clean_postings(conn)
        day_counts = _day_counts(conn, day)
    n = sum(day_counts.values())
    rate = day_counts.get("duplicate", 0) / n if n else 0.0
    limit = get_settings().postings_max_duplicate_rate
    yield dg.MaterializeResult(
        metadata={
            "cleaned now": dict(counts),
            **{f"day {k}": v for k, v in day_counts.items()},
            "duplicate_rate": rate,
        }
    )
    yield dg.AssetCheckResult(
        check_name="duplicate_rate",
        passed=rate <= limit,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"duplicate_rate": rate, "limit": limit, "postings": n},
        description=f"{rate:.1%} of the day's postings are duplicates (limit {limit:.0%})",
    )


@dg.asset(
    key=CODED,
    group_name=GROUP,
    partitions_def=postings_days,
    deps=[CLEANED],
    kinds={"postgres"},
    check_specs=[dg.AssetCheckSpec("coded_share_above_confidence", asset=CODED)],
    description="Accepted English postings coded to their top-3 SOC occupations (the career assistant's coder), "
    "their exposure and duties matched to O*NET tasks, against the active O*NET version.",
)
def postings_coded(context: dg.AssetExecutionContext, database: PlatformDatabase):
    day = _day(context)
    settings = get_settings()
    with database.connect(autocommit=True) as conn:
        version, counts, problem = active_version(conn), {}, None
        if version is None:
            counts = dict(code_postings(conn, None))  # marks them no_active_version
            problem = "no O*NET version is active: run the pipeline and activate a version first"
        else:
            try:
                counts = dict(code_postings(conn, load_coder(version)))
            except CoderUnavailable as exc:
                problem = str(exc)
        if problem:
            context.log.warning(f"postings not coded: {problem}")
        n_english, n_confident = conn.execute(
            """SELECT count(*), count(*) FILTER (WHERE coding_status = 'coded' AND confidence >= %s)
               FROM postings.posting WHERE collected_on = %s AND status = 'accepted' AND language = 'en'""",
            (settings.postings_min_confidence, day),
        ).fetchone()
    share = n_confident / n_english if n_english else 0.0
    yield dg.MaterializeResult(
        metadata={"coded now": counts, "english postings": n_english, "share_confident": share, **(
            {"not coded": problem} if problem else {})}
    )  # fmt: skip
    yield dg.AssetCheckResult(
        check_name="coded_share_above_confidence",
        passed=n_english > 0 and share >= settings.postings_min_coded_share,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "share": share,
            "threshold": settings.postings_min_confidence,
            "needed": settings.postings_min_coded_share,
        },
        description=f"{share:.1%} of the day's {n_english} English postings coded with confidence ≥ "
        f"{settings.postings_min_confidence:g}" + (f" ({problem})" if problem else ""),
    )


@dg.asset(
    key=MIX_DRIFT,
    group_name=GROUP,
    partitions_def=postings_days,
    deps=[CODED],
    kinds={"postgres"},
    description="The posting mix of the day against the previous day with coded postings: exposure (KS, JS) "
    "and major-group mix (JS). Stored in postings.mix_drift.",
)
def postings_mix_drift(context: dg.AssetExecutionContext, database: PlatformDatabase) -> dg.MaterializeResult:
    day = _day(context)
    with database.connect(autocommit=True) as conn:
        drift = compute_drift(conn, day)
        markdown = to_markdown(drift)
        store_drift(conn, drift, markdown)
    meta = {"report": dg.MetadataValue.md(markdown), "n_day": drift.n_day, "n_baseline": drift.n_baseline}
    if drift.exposure:
        meta |= {"exposure_ks": drift.exposure.ks_statistic, "exposure_js": drift.exposure.js_divergence}
    if drift.group_js is not None:
        meta["group_js"] = drift.group_js
    return dg.MaterializeResult(metadata=meta)
