"""`occurisk serve`: run the API with uvicorn."""

from __future__ import annotations

import os
import shutil

import click

from occurisk_assets.lib.settings import get_settings


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="uvicorn worker processes.")
def serve(host: str, port: int, workers: int) -> None:
    """Serve the read API (OpenAPI docs at /docs) on HOST:PORT."""
    import uvicorn  # here, not at the top: every `occurisk` command imports this module

    from api.request_log import LOG_CONFIG

    # Before any worker imports prometheus-client: the workers' metrics files (api/metrics.py), one folder
    # per port so two servers never share one, emptied so a previous run's counts do not come back.
    metrics_dir = get_settings().home / "metrics" / str(port)
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    # JSON lines, a request id in each record of a request; api.requests is the access log (api/request_log.py).
    uvicorn.run(
        "api.main:app",
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=LOG_CONFIG,
        access_log=False,
    )


commands = [serve]
