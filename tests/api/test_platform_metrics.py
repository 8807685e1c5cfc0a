"""The platform collector of /metrics (api/platform_metrics.py) on a migrated database, as the API's read-only
role: the coder's held-out accuracy per registered version (written when it is trained) and its live accuracy
from the occupations people confirmed or corrected — counts only, the labels' rows stay unreadable to the API."""

from __future__ import annotations

import psycopg
import pytest

from api.platform_metrics import PlatformCollector
from occurisk_assets.coder.labels import live_accuracy
from occurisk_assets.coder.registry import Registration
from occurisk_assets.coder.training import record_evaluation
from occurisk_assets.lib import db, roles

MODEL = "occurisk-occupation-coder-30.1"


def registration(version: str, top1: float) -> Registration:
    return Registration(
        name=MODEL,
        version=version,
        run_id="r",
        top1=top1,
        top3=0.9,
        n_held_out=1200,
        ece=0.02,
        promoted=True,
        reused=False,
        production_version=version,
        reason="first model of this data_version",
    )


def collected() -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in PlatformCollector().collect()
        for sample in family.samples
    }


@pytest.fixture(scope="module")
def labelled(module_database):
    """Version 3 evaluated (twice: the second replaces the first), and four labels of people: two confirmed,
    one picked another offered code, one corrected."""
    with db.connect(module_database) as conn:
        record_evaluation(conn, "30.1", registration("3", 0.70))
        record_evaluation(conn, "30.1", registration("3", 0.75))
        for outcome, chosen in (
            ("confirmed", "43-4051"),
            ("confirmed", "43-4051"),
            ("picked_other_offered", "43-4171"),
            ("corrected", "11-1021"),
        ):
            conn.execute(
                "INSERT INTO assistant.coder_label (data_version, model_version, input_sha256, offered_codes,"
                " chosen_code, outcome) VALUES ('30.1', %s, '0123456789abcdef', %s, %s, %s)",
                (f"{MODEL}/3", ["43-4051", "43-4171", "43-9061"], chosen, outcome),
            )
    return module_database


def test_the_coders_held_out_and_live_accuracy_per_version(labelled):
    found = collected()
    assert found[("occurisk_platform_metrics_up", ())] == 1
    version = ("model_version", f"{MODEL}/3")
    assert found[("occurisk_coder_heldout_accuracy", (("k", "top1"), version))] == 0.75
    assert found[("occurisk_coder_heldout_accuracy", (("k", "top3"), version))] == 0.9
    assert found[("occurisk_coder_live_labels", (version,))] == 4
    assert found[("occurisk_coder_live_accuracy", (("k", "top1"), version))] == 0.5
    assert found[("occurisk_coder_live_accuracy", (("k", "top3"), version))] == 0.75
    with db.connect(labelled) as conn:
        assert conn.execute("SELECT count(*) FROM core.coder_evaluation").fetchone()[0] == 1
        assert live_accuracy(conn) == [(f"{MODEL}/3", 4, 0.5, 0.75)]  # `occurisk coder live-accuracy`


def test_the_api_role_reads_the_counts_never_the_labels(labelled):
    with db.connect(roles.role_url(labelled, roles.API)) as conn:
        assert conn.execute("SELECT sum(labels) FROM core.coder_live_accuracy").fetchone()[0] == 4
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT input_sha256 FROM assistant.coder_label")
