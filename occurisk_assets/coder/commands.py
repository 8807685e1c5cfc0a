"""`occurisk coder train|predict`."""

from __future__ import annotations

import click


@click.group("coder")
def coder_group() -> None:
    """The occupation coder (free text → SOC code)."""


@coder_group.command("train")
@click.option("--version", "data_version", required=True, help="O*NET version, e.g. 30.1")
def train(data_version: str) -> None:
    """Train, evaluate and register the coder of one version (the Dagster asset does the same)."""
    from occurisk_assets.coder.training import train_coder
    from occurisk_assets.lib import db

    with db.connect() as conn:
        r = train_coder(conn, data_version)
    click.echo(
        f"{r.name} version {r.version}: top-1 {r.top1:.4f}, top-3 {r.top3:.4f} on {r.n_held_out} held-out "
        f"titles; {'promoted' if r.promoted else 'not promoted'} ({r.reason})"
    )


@coder_group.command("predict")
@click.argument("texts", nargs=-1, required=True)
@click.option("--version", "data_version", default=None, help="default: the active version")
@click.option("-k", default=3, show_default=True)
def predict_command(texts: tuple[str, ...], data_version: str | None, k: int) -> None:
    """Print the k most likely SOC codes of each text."""
    from occurisk_assets.coder import predict

    for text, predictions in zip(texts, predict(list(texts), k, data_version), strict=True):
        click.echo(text)
        for p in predictions:
            click.echo(f"  {p.soc_code}  {p.confidence:.3f}  {p.title}")


@coder_group.command("live-accuracy")
def live_accuracy_command() -> None:
    """The coder's accuracy on the occupations people confirmed or corrected (assistant.coder_label)."""
    from occurisk_assets.coder.labels import live_accuracy
    from occurisk_assets.lib import db

    with db.connect() as conn:
        rows = live_accuracy(conn)
    if not rows:
        click.echo("no labels yet: nobody has confirmed or corrected a coded occupation")
    for model_version, n, top1, top3 in rows:
        click.echo(f"{model_version}: {n} labels, top-1 {top1:.3f}, top-3 {top3:.3f}")


commands = [coder_group]
