"""Labels from people: the occupation a person kept for a coded job (the coder's first guess confirmed, another
offered one picked, or a correction), stored as codes, the model version and a hash of the coded text — never
the text — in assistant.coder_label, so the coder's live accuracy can be reported (`occurisk coder
live-accuracy`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import psycopg

from occurisk_assets.lib.codes import SOC_CODE_PATTERN

INPUT_SHA256 = re.compile(r"^[0-9a-f]{16}$")  # serving.input_hash
MODEL_VERSION = re.compile(r"^[\w.\-/]{1,200}$")
SOC_CODE = re.compile(SOC_CODE_PATTERN)


@dataclass(frozen=True)
class Label:
    input_sha256: str
    offered: tuple[str, ...]  # the coder's codes, best first
    chosen: str

    @property
    def outcome(self) -> str:
        if self.chosen == self.offered[0]:
            return "confirmed"
        return "picked_other_offered" if self.chosen in self.offered else "corrected"


def label_of(offered: tuple[str, ...], digest: str, chosen: str) -> Label | None:
    """The label of a job a person kept: the codes the coder offered (best first), the hash of the text it
    coded and the code they chose; None when these are not well-formed (a label is a by-product of a
    confirm form: it never stops a save)."""
    if not offered or not INPUT_SHA256.match(digest) or not SOC_CODE.match(chosen):
        return None
    if not all(SOC_CODE.match(code) for code in offered):
        return None
    return Label(digest, offered[:3], chosen)


async def store(conn, data_version: str, model_version: str, labels: list[Label | None]) -> int:
    """Store the well-formed labels (on the assistant's connection); how many."""
    kept = [label for label in labels if label is not None]
    if not kept or not MODEL_VERSION.match(model_version):
        return 0
    async with conn.cursor() as cur:
        await cur.executemany(
            "INSERT INTO assistant.coder_label (data_version, model_version, input_sha256, offered_codes, "
            "chosen_code, outcome) VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (data_version, model_version, lb.input_sha256, list(lb.offered), lb.chosen, lb.outcome)
                for lb in kept
            ],
        )
    return len(kept)


# The view (migration 0017) aggregates assistant.coder_label; the API's /metrics reads it too.
LIVE_ACCURACY_SQL = "SELECT model_version, labels, top1, top3 FROM core.coder_live_accuracy ORDER BY 1"


def live_accuracy(conn: psycopg.Connection) -> list[tuple[str, int, float, float]]:
    """Per model version: labels, share confirmed (top-1), share among the offered codes (top-3)."""
    return [tuple(r) for r in conn.execute(LIVE_ACCURACY_SQL).fetchall()]
