"""A Prometheus custom collector's answer when it reads a store at each scrape: its families after an
`<name>_up 1` gauge, or `<name>_up 0` alone when the store cannot be read — a failed read never fails the
scrape (api/platform_metrics.py, occurisk_assets/runs/metrics.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)


def read_or_down(
    what: str, up_name: str, read: Callable[[], Iterable], errors: type[BaseException] | tuple
) -> list:
    """`read()`'s families after `up_name` 1, or `up_name` 0 alone (and a warning naming `what` and the
    error's type, never its text) when it raises one of `errors`."""
    up = GaugeMetricFamily(up_name, f"1 if the {what} could be read")
    try:
        families = list(read())
    except errors as exc:
        log.warning("%s unavailable: %s", what, type(exc).__name__)
        up.add_metric([], 0)
        return [up]
    up.add_metric([], 1)
    return [up, *families]
