"""`occurisk serve`: run the API with uvicorn."""

from __future__ import annotations

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="uvicorn worker processes.")
def serve(host: str, port: int, workers: int) -> None:
    """Serve the read API (OpenAPI docs at /docs) on HOST:PORT."""
    import uvicorn  # here, not at the top: every `occurisk` command imports this module

    uvicorn.run("api.main:app", host=host, port=port, workers=workers, log_level="info")


commands = [serve]
