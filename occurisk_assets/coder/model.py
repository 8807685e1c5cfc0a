"""The coder's model: TF-IDF word (1–2) and character (3–5, within words) n-grams, and a multinomial naive
Bayes classifier over the SOC codes — a linear classifier in log space, kept as a *sparse* weight matrix.

Why not a dense linear model: with ~870 classes and ~120k features a dense coefficient matrix is
~400 MB of float32 and one-vs-rest training takes minutes on two cores. Naive Bayes' log-probabilities
split exactly into a sparse part and a per-class constant:

    score_c(x) = Σ_f x_f · log(1 + n_cf / α)  +  |x|₁ · (log α − log(N_c + α·F))  +  log prior_c

(n_cf the weighted TF-IDF mass of feature f in class c, N_c = Σ_f n_cf, F features, α smoothing), so the
model is ~30 MB, trains in one pass and scores a title in well under a millisecond. Confidence = the
posterior, softmax of the scores.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from occurisk_assets.coder.corpus import Corpus, Example

ALPHA = 0.03
MIN_DF = 2
TOP_K = 3
PARAMS = {
    "features": "tfidf word 1-2 + char_wb 3-5, sublinear tf",
    "min_df": MIN_DF,
    "classifier": "multinomial naive Bayes (sparse log weights)",
    "alpha": ALPHA,
    "prior": "empirical (weighted)",
}
# Types skops may rebuild when loading a saved model (nothing else: no pickle).
TRUSTED_TYPES = [
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.pipeline.FeatureUnion",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "numpy.int32",
    "numpy.dtype",
    "builtins.slice",
    "scipy.sparse._csr.csr_matrix",
]


@dataclass(frozen=True)
class Prediction:
    soc_code: str
    onetsoc_code: str  # the SOC's main O*NET-SOC occupation (its tasks are the ones to offer)
    title: str
    confidence: float


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=MIN_DF, dtype=np.float32),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=MIN_DF, dtype=np.float32
                ),
            ),
        ]
    )


class OccupationCoder:
    def __init__(self, features, weights, offset, bias, classes, onetsoc_codes, titles, data_version: str):
        self.features = features
        self.weights = weights  # csr (classes × features): log(1 + n_cf / α)
        # features × classes, row-major: a text's sparse row times it touches only the text's features.
        self._by_feature = weights.T.tocsr()
        self.offset = offset  # per class: log α − log(N_c + α·F), times |x|₁
        self.bias = bias  # per class: log prior
        self.classes = list(classes)
        self.onetsoc_codes = list(onetsoc_codes)
        self.titles = list(titles)
        self.data_version = data_version
        self.model_version = "unregistered"  # "<registered name>/<version>" once loaded from the registry

    @classmethod
    def fit(cls, corpus: Corpus, alpha: float = ALPHA) -> OccupationCoder:
        classes = sorted({e.soc_code for e in corpus.train})
        index = {soc: i for i, soc in enumerate(classes)}
        features = _features()
        x = features.fit_transform([e.text for e in corpus.train]).tocsr()
        y = np.array([index[e.soc_code] for e in corpus.train])
        w = np.array([e.weight for e in corpus.train], dtype=np.float32)
        membership = sp.csr_matrix((w, (y, np.arange(len(y)))), shape=(len(classes), len(y)))
        counts = (membership @ x).tocsr()  # weighted TF-IDF mass of each feature per class
        totals = np.asarray(counts.sum(axis=1)).ravel()
        weights = counts.copy()
        weights.data = np.log1p(weights.data / alpha).astype(np.float32)
        per_unit = (np.log(alpha) - np.log(totals + alpha * x.shape[1])).astype(np.float32)
        prior = np.bincount(y, weights=w, minlength=len(classes))
        return cls(
            features,
            weights,
            per_unit,
            np.log(prior / prior.sum()).astype(np.float32),
            classes,
            [corpus.titles[soc][0] for soc in classes],
            [corpus.titles[soc][1] for soc in classes],
            corpus.data_version,
        )

    def scores(self, texts: list[str]) -> np.ndarray:
        x = self.features.transform(texts).tocsr()
        mass = np.asarray(x.sum(axis=1))  # |x|₁ per text
        return (x @ self._by_feature).toarray() + mass * self.offset[None, :] + self.bias[None, :]

    def predict(self, texts: list[str], k: int = TOP_K) -> list[list[Prediction]]:
        """The k most likely SOC codes of each text, most likely first."""
        if not texts:
            return []
        scores = self.scores(list(texts))
        k = max(1, min(k, len(self.classes)))
        top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
        posterior = shifted / shifted.sum(axis=1, keepdims=True)
        return [
            [
                Prediction(
                    self.classes[j], self.onetsoc_codes[j], self.titles[j], round(float(posterior[i, j]), 4)
                )
                for j in row
            ]
            for i, row in enumerate(top)
        ]

    def evaluate(self, examples: list[Example], batch: int = 2000) -> dict[str, float]:
        """Top-1 and top-3 accuracy on held-out examples."""
        if not examples:
            return {"top1": 0.0, "top3": 0.0, "n": 0}
        hit1 = hit3 = 0
        for start in range(0, len(examples), batch):
            chunk = examples[start : start + batch]
            for example, predictions in zip(chunk, self.predict([e.text for e in chunk], k=3), strict=True):
                codes = [p.soc_code for p in predictions]
                hit1 += codes[0] == example.soc_code
                hit3 += example.soc_code in codes
        return {"top1": hit1 / len(examples), "top3": hit3 / len(examples), "n": len(examples)}

    def save(self, path: Path) -> None:
        """skops (no pickle) for the vectorizers, npz for the arrays, json for the labels."""
        import skops.io

        path.mkdir(parents=True, exist_ok=True)
        skops.io.dump(self.features, path / "features.skops")
        sp.save_npz(path / "weights.npz", self.weights)
        np.savez(path / "vectors.npz", bias=self.bias, offset=self.offset)
        (path / "labels.json").write_text(
            json.dumps(
                {
                    "data_version": self.data_version,
                    "classes": self.classes,
                    "onetsoc_codes": self.onetsoc_codes,
                    "titles": self.titles,
                }
            )
        )

    @classmethod
    def load(cls, path: Path) -> OccupationCoder:
        import skops.io

        untrusted = set(skops.io.get_untrusted_types(file=path / "features.skops")) - set(TRUSTED_TYPES)
        if untrusted:
            raise ValueError(f"{path}: the saved features contain types not allowed: {sorted(untrusted)}")
        features = skops.io.load(path / "features.skops", trusted=TRUSTED_TYPES)
        weights = sp.load_npz(path / "weights.npz").tocsr()
        with np.load(io.BytesIO((path / "vectors.npz").read_bytes()), allow_pickle=False) as vectors:
            bias, offset = vectors["bias"], vectors["offset"]
        labels = json.loads((path / "labels.json").read_text())
        return cls(
            features,
            weights,
            offset,
            bias,
            labels["classes"],
            labels["onetsoc_codes"],
            labels["titles"],
            labels["data_version"],
        )
