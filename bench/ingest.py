"""Ingest of the whole O*NET 30.1 release: the platform's typed, validated, swapped load versus a plain COPY of
the same files into all-text tables (the physical floor). Target: within 3x of the plain COPY."""

from __future__ import annotations

import time

import psycopg
from psycopg import sql

from bench.common import machine, median, temporary_server, timed, write_section
from occurisk_assets.onet.files import NON_DATA_FILES, snake
from occurisk_assets.onet.loader import CHUNK, COPY_OPTIONS, load_release, read_header
from occurisk_assets.onet.sources import resolve_release

REPEAT = 5
TARGET_RATIO = 3.0


def plain_copy(url: str, files: list) -> None:
    """COPY every file into a fresh all-text table: no header check, no types, no keys, no swap."""
    with psycopg.connect(url) as conn:
        conn.execute("DROP SCHEMA IF EXISTS plain CASCADE; CREATE SCHEMA plain")
        for path in files:
            header = read_header(path)
            table = sql.Identifier("plain", snake(path.stem))
            cols = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(snake(h))) for h in header)
            conn.execute(sql.SQL("CREATE TABLE {} ({})").format(table, cols))
            with (
                conn.cursor() as cur,
                cur.copy(
                    sql.SQL("COPY {} FROM STDIN WITH ({})").format(table, sql.SQL(COPY_OPTIONS))
                ) as copier,
                open(path, "rb") as fh,
            ):
                while chunk := fh.read(CHUNK):
                    copier.write(chunk)


def main() -> dict:
    release = resolve_release("30.1")
    files = sorted(p for p in release.folder.iterdir() if p.suffix == ".txt" and p.name not in NON_DATA_FILES)
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    with temporary_server() as url:
        load_release(release)  # warm-up: creates the parent tables, warms the page cache
        plain_copy(url, files)
        platform_times = timed(lambda: load_release(release), REPEAT)
        plain_times = timed(lambda: plain_copy(url, files), REPEAT)
    platform_s, plain_s = median(platform_times), median(plain_times)
    ratio = platform_s / plain_s
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    write_section(
        "ingest",
        f"""
## O*NET ingest (bench/ingest.py)

Whole O*NET 30.1 release from `../shared/data/onet/db_30_1_text`: {len(files)} files, {size_mb:.1f} MB.
Median of {REPEAT} runs each, same server, measured {time.strftime("%Y-%m-%d")} on {machine()}.

| load | median seconds | MB/s |
|---|---|---|
| platform load (header check, typed COPY, line numbers, sha256, PK build, partition swap, manifest) | {platform_s:.3f} | {size_mb / platform_s:.1f} |
| plain COPY into all-text tables (floor) | {plain_s:.3f} | {size_mb / plain_s:.1f} |

Ratio platform / plain: **{ratio:.2f}x** — {verdict} the target of ≤ {TARGET_RATIO:.0f}x.
""",
    )
    print(f"ingest: platform {platform_s:.3f}s, plain COPY {plain_s:.3f}s, ratio {ratio:.2f}x")
    return {"platform_s": platform_s, "plain_s": plain_s, "ratio": ratio}


if __name__ == "__main__":
    main()
