"""The occupation coder's files (bench/coder_files.py): writing and reading the vectorizers of a coder fit on
the real O*NET 30.1 release as features.json + idf.npz (save_features/load_features) against the skops file
they were written as before (the baseline), both in the same run on the same fitted coder. Every training
writes them once (the pipeline's coder step); every process that codes text reads them."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.coder import release_corpus  # noqa: E402
from bench.common import machine, median, timed, write_section  # noqa: E402
from occurisk_assets.coder.model import (  # noqa: E402
    TRUSTED_TYPES,
    OccupationCoder,
    load_features,
    save_features,
)

REPEAT = 3


def main() -> dict:
    import skops.io

    corpus = release_corpus()
    coder = OccupationCoder.fit(corpus)
    texts = [e.text for e in corpus.held_out[:500]]
    with tempfile.TemporaryDirectory(prefix="occurisk-bench-coder-") as tmp:
        folder = Path(tmp)
        current, skops_file = folder / "model", folder / "features.skops"
        current.mkdir()
        results = {
            "json": {
                "write": median(timed(lambda: save_features(coder.features, current), REPEAT)),
                "read": median(timed(lambda: load_features(current), REPEAT)),
                "bytes": (current / "features.json").stat().st_size + (current / "idf.npz").stat().st_size,
            },
            "skops": {
                "write": median(timed(lambda: skops.io.dump(coder.features, skops_file), REPEAT)),
                "read": median(timed(lambda: skops.io.load(skops_file, trusted=TRUSTED_TYPES), REPEAT)),
                "bytes": skops_file.stat().st_size,
            },
        }
        coder.save(current)
        loaded = OccupationCoder.load(current)
        assert loaded.predict(texts, k=3) == coder.predict(texts, k=3)  # the same coder, read back
    terms = sum(len(v.vocabulary_) for _, v in coder.features.transformer_list)
    write_section("coder_files", report(results, terms))
    return results


def report(results: dict, terms: int) -> str:
    def row(label: str, value) -> str:
        return f"| {label} | {value(results['skops'])} | {value(results['json'])} |"

    return f"""## The occupation coder's files (bench/coder_files.py)

The vectorizers of a coder fit on O*NET 30.1 ({terms:,} terms), written and read {REPEAT} times each (median
seconds); the baseline is the skops file they were written as before, on the same fitted coder in the same
run. The coder read back codes 500 held-out titles exactly as the fitted one. {machine()}.

| | skops (before) | features.json + idf.npz |
|---|---|---|
{row("write (s)", lambda r: f"{r['write']:.2f}")}
{row("read (s)", lambda r: f"{r['read']:.2f}")}
{row("size (MB)", lambda r: f"{r['bytes'] / 1e6:.1f}")}
"""


if __name__ == "__main__":
    main()
