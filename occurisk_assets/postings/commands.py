"""`occurisk postings import|crawl|usajobs|process|crawls`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from occurisk_assets.lib import db, schema
from occurisk_assets.lib.settings import get_settings


@click.group("postings")
def postings() -> None:
    """Job postings: import files, crawl job boards politely, fetch USAJOBS, clean and code them."""
    schema.ensure_server()  # the postings tables come from the migrations


def _echo_counts(title: str, counts: Counter) -> None:
    if counts:
        click.echo(f"{title}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


def _process(conn) -> None:
    from occurisk_assets.postings.processing import process_new_postings

    result = process_new_postings(conn)
    _echo_counts("cleaned", result.cleaned)
    _echo_counts("coded", result.coded)
    if result.coder_problem:
        click.echo(f"not coded: {result.coder_problem}", err=True)


@postings.command("import")
@click.argument("file", type=click.Path(path_type=Path))
def import_command(file: Path) -> None:
    """Import FILE: JSON Lines or CSV with schema.org JobPosting fields (title, description,
    hiringOrganization, jobLocation, datePosted, validThrough, employmentType, baseSalary, url, identifier)."""
    from occurisk_assets.postings.importing import ImportFormatError, import_file

    with db.connect() as conn:
        try:
            report = import_file(conn, file)
        except ImportFormatError as exc:
            raise click.ClickException(str(exc)) from exc
        for error in report.errors:
            click.echo(error, err=True)
        click.echo(
            f"{file.name}: {report.n_records} postings read, {report.inserted} new, {report.seen_again} "
            f"already known, {len(report.errors)} lines not readable"
        )
        _process(conn)


@postings.command("crawl")
@click.argument("url")
@click.option("--max-pages", type=click.IntRange(min=1), help="Stop after this many pages (default 200).")
@click.option(
    "--delay", type=click.FloatRange(min=0), help="Seconds between requests to one host (default 2)."
)
def crawl_command(url: str, max_pages: int | None, delay: float | None) -> None:
    """Crawl URL (a listing page or a sitemap) politely: same-host links, robots.txt obeyed, pages with
    schema.org JobPosting JSON-LD kept. Re-running resumes an interrupted crawl of the same URL."""
    from occurisk_assets.postings.crawler import CrawlRefused, crawl
    from occurisk_assets.postings.sources import fetch_options, load_sources

    settings = get_settings()
    sources = load_sources(settings=settings)
    with db.connect() as conn:
        try:
            report = crawl(
                conn,
                url,
                fetch_options(settings, delay),
                max_pages or settings.postings_max_pages,
                sources.forbidden_hosts,
            )
        except (CrawlRefused, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(
            f"crawl {report.crawl_id} of {url}{' (resumed)' if report.resumed else ''}: {report.status}, "
            f"{report.pages_fetched} pages fetched with {report.requests} requests"
        )
        _echo_counts("outcomes", report.outcomes)
        for reason, n in sorted(report.reasons.items()):
            click.echo(f"  {n} × {reason}")
        _echo_counts("postings", report.postings)
        _process(conn)


@postings.command("usajobs")
@click.option("--keyword", help="USAJOBS Keyword parameter.")
@click.option("--max-pages", type=click.IntRange(min=1), default=2, show_default=True)
def usajobs_command(keyword: str | None, max_pages: int) -> None:
    """Fetch postings from the USAJOBS Search API (OCCURISK_USAJOBS_API_KEY, OCCURISK_USAJOBS_EMAIL)."""
    from occurisk_assets.postings.usajobs import UsajobsClient, UsajobsError, fetch_usajobs

    settings = get_settings()
    if not settings.usajobs_api_key or not settings.usajobs_email:
        raise click.ClickException(
            "set OCCURISK_USAJOBS_API_KEY and OCCURISK_USAJOBS_EMAIL (https://developer.usajobs.gov/apirequest/)"
        )
    client = UsajobsClient(settings.usajobs_api_key, settings.usajobs_email, settings.usajobs_base_url)
    with db.connect() as conn:
        try:
            report = fetch_usajobs(conn, client, {"Keyword": keyword} if keyword else {}, max_pages)
        except UsajobsError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(
            f"USAJOBS: {report.pages} pages, {report.items} postings, {report.inserted} new, "
            f"{report.seen_again} already known"
        )
        for problem in report.skipped:
            click.echo(f"  skipped {problem}", err=True)
        _process(conn)


@postings.command("process")
def process_command() -> None:
    """Clean and code postings that arrived but were not processed (e.g. before the coder was installed,
    or after another O*NET version was activated)."""
    with db.connect() as conn:
        _process(conn)


commands = [postings]
