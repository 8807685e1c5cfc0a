"""The coder's model: TF-IDF word (1–2) and character (3–5, within words) n-grams, and a multinomial naive
Bayes classifier over the SOC codes — a linear classifier in log space, kept as a *sparse* weight matrix.

Why not a dense linear model: with ~870 classes and ~120k features a dense coefficient matrix is
~400 MB of float32 and one-vs-rest training takes minutes on two cores. Naive Bayes' log-probabilities
split exactly into a sparse part and a per-class constant:

    score_c(x) = Σ_f x_f · log(1 + n_cf / α)  +  |x|₁ · (log α − log(N_c + α·F))  +  log prior_c

(n_cf the weighted TF-IDF mass of feature f in class c, N_c = Σ_f n_cf, F features, α smoothing), so the
model is ~30 MB, trains in one pass and scores a title in well under a millisecond.

Coder v2 adds meaning: each class's best cosine similarity between the text and its exemplars (the O*NET
titles of the SOC and the project's Korean names and everyday words, embedded by occurisk_assets.text.encoder,
multilingual), blended with the naive Bayes log score:

    z_c(x) = a · score_c(x) + b · max_e cos(x, e_c)

a and b are fit by likelihood on the calibration half of the held-out titles (corpus.in_calibration_half);
the softmax of z is still overconfident at the top and underconfident at the bottom, so each shown
confidence is then mapped by Platt scaling of its logit (fit on the same half: is the best code right?). A
model saved without exemplars (v1) scores with a = 1, b = 0 and shows the softmax as it is.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from occurisk_assets.coder.corpus import Corpus, Example, in_calibration_half, normalise

ALPHA = 0.03
# Examples whose embeddings are a class's exemplars. Every alternate and reported title too gained under 0.01
# top-1 for a 54k-row matrix in every request (docs/benchmarks.md, "Coder v2: speed and what was tried").
EXEMPLAR_SOURCES = ("title", "korean_term")
# SOCcer's review rule (Russ et al. 2016), kept after measuring it on the held-out titles (docs/coder.md):
# unsure when the best calibrated confidence is under 0.3 or the best two are within 0.1.
UNSURE_BELOW = 0.3
UNSURE_MARGIN = 0.1
RELIABILITY_BINS = 10
MIN_DF = 2
TOP_K = 3
PARAMS = {
    "features": "tfidf word 1-2 + char_wb 3-5, sublinear tf",
    "min_df": MIN_DF,
    "classifier": "multinomial naive Bayes (sparse log weights)",
    "alpha": ALPHA,
    "prior": "empirical (weighted)",
    "meaning": "max cosine to class exemplars (titles, Korean terms), blended with the NB score",
    "calibration": "z = a·NB + b·cosine, a and b by likelihood, then Platt scaling of the confidence's logit, "
    "both on the held-out titles' calibration half",
}
# Types skops may rebuild when loading a model saved before features.json (nothing else: no pickle).
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


def save_features(features: FeatureUnion, path: Path) -> None:
    """The fitted vectorizers as JSON (each one's settings and its terms in column order) and their idf as
    npz: no pickle. skops, which wrote them before, took 100 times as long to write, 68 times to read and 38
    times the space (docs/benchmarks.md)."""
    vectorizers = dict(features.transformer_list)
    states = {}
    for name, vectorizer in vectorizers.items():
        params = vectorizer.get_params()
        params.pop("vocabulary")
        params["dtype"] = np.dtype(params["dtype"]).name
        terms = [""] * len(vectorizer.vocabulary_)
        for term, column in vectorizer.vocabulary_.items():
            terms[column] = term
        states[name] = {"params": params, "terms": terms}
    (path / "features.json").write_text(json.dumps(states))
    np.savez(path / "idf.npz", **{name: v.idf_ for name, v in vectorizers.items()})


def load_features(path: Path) -> FeatureUnion:
    """The fitted vectorizers saved in `path`, or in skops's format by models saved before features.json
    (only the listed types, no pickle)."""
    if not (path / "features.json").exists():
        import skops.io

        saved = path / "features.skops"
        untrusted = set(skops.io.get_untrusted_types(file=saved)) - set(TRUSTED_TYPES)
        if untrusted:
            raise ValueError(f"{path}: the saved features contain types not allowed: {sorted(untrusted)}")
        return skops.io.load(saved, trusted=TRUSTED_TYPES)
    states = json.loads((path / "features.json").read_text())
    with np.load(io.BytesIO((path / "idf.npz").read_bytes()), allow_pickle=False) as idf:
        vectorizers = []
        for name, state in states.items():
            params = {**state["params"], "ngram_range": tuple(state["params"]["ngram_range"])}
            params["dtype"] = np.dtype(params["dtype"]).type
            vectorizer = TfidfVectorizer(**params, vocabulary=state["terms"])
            vectorizer.idf_ = idf[name]
            vectorizers.append((name, vectorizer))
    return FeatureUnion(vectorizers)


def is_unsure(predictions: list[Prediction]) -> bool:
    """Too weak a guess to take without asking the person (confidences calibrated)."""
    if not predictions:
        return True
    second = predictions[1].confidence if len(predictions) > 1 else 0.0
    return predictions[0].confidence < UNSURE_BELOW or predictions[0].confidence - second < UNSURE_MARGIN


def _softmax(z: np.ndarray) -> np.ndarray:
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def reliability(
    confidence: np.ndarray, correct: np.ndarray, bins: int = RELIABILITY_BINS
) -> tuple[float, list]:
    """Expected calibration error of the top-1 confidence and its reliability table (per bin: range, n, mean
    confidence, accuracy)."""
    table, ece = [], 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (confidence > lo) & (confidence <= hi) if lo > 0 else (confidence <= hi)
        n = int(inside.sum())
        if n:
            mean_conf, accuracy = float(confidence[inside].mean()), float(correct[inside].mean())
            ece += n / len(confidence) * abs(accuracy - mean_conf)
            table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": n, "confidence": mean_conf, "accuracy": accuracy})
    return ece, table


class OccupationCoder:
    def __init__(
        self,
        features,
        weights,
        offset,
        bias,
        classes,
        onetsoc_codes,
        titles,
        data_version: str,
        exemplars: np.ndarray | None = None,
        exemplar_starts: np.ndarray | None = None,
        nb_scale: float = 1.0,
        embedding_scale: float = 0.0,
        confidence_map: tuple[float, float] | None = None,
    ):
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
        # Unit vectors of the exemplars, grouped by class; exemplar_starts[i] = first row of class i.
        self.exemplars = exemplars
        self.exemplar_starts = exemplar_starts
        self.nb_scale = nb_scale
        self.embedding_scale = embedding_scale
        self.confidence_map = confidence_map  # (slope, intercept) of the Platt scaling; None: the softmax
        self.vector_cache: dict[str, np.ndarray] | None = None  # set while training: each text embedded once

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
        exemplar_texts = sorted(
            {(index[e.soc_code], e.text) for e in corpus.train if e.source in EXEMPLAR_SOURCES}
        )
        from occurisk_assets.text.vector_cache import encode_reusing

        exemplars = encode_reusing([text for _, text in exemplar_texts]).vectors
        owners = np.array([i for i, _ in exemplar_texts])
        return cls(
            features,
            weights,
            per_unit,
            np.log(prior / prior.sum()).astype(np.float32),
            classes,
            [corpus.titles[soc][0] for soc in classes],
            [corpus.titles[soc][1] for soc in classes],
            corpus.data_version,
            exemplars,
            np.searchsorted(owners, np.arange(len(classes))),
        )

    def nb_scores(self, texts: list[str]) -> np.ndarray:
        x = self.features.transform(texts).tocsr()
        mass = np.asarray(x.sum(axis=1))  # |x|₁ per text
        return (x @ self._by_feature).toarray() + mass * self.offset[None, :] + self.bias[None, :]

    def similarities(self, texts: list[str]) -> np.ndarray:
        """Per text and class: the best cosine between the text and the class's exemplars."""
        from occurisk_assets.text.encoder import one_blas_thread

        vectors = self._embed(texts)
        with one_blas_thread():
            return np.maximum.reduceat(vectors @ self.exemplars.T, self.exemplar_starts, axis=1)

    def _embed(self, texts: list[str]) -> np.ndarray:
        from occurisk_assets.text.encoder import encode

        if self.vector_cache is None:
            return encode(texts)
        # Training: O*NET's held-out titles, also kept on disk (never a person's words, which take the path above).
        from occurisk_assets.text.vector_cache import encode_reusing

        missing = [t for t in dict.fromkeys(texts) if t not in self.vector_cache]
        if missing:
            self.vector_cache.update(zip(missing, encode_reusing(missing).vectors, strict=True))
        return np.stack([self.vector_cache[t] for t in texts])

    @property
    def uses_meaning(self) -> bool:
        return self.exemplars is not None and self.embedding_scale != 0.0

    def scores(self, texts: list[str]) -> np.ndarray:
        """Calibrated log-odds (up to a constant per text): softmax of a row is the confidence."""
        z = self.nb_scale * self.nb_scores(texts)
        if self.uses_meaning:
            z += self.embedding_scale * self.similarities(texts)
        return z

    def calibrate(self, examples: list[Example]) -> None:
        """Fit a and b (the blend and its temperature) by likelihood of the examples' codes."""
        from scipy.optimize import minimize

        texts = [e.text for e in examples]
        nb = self.nb_scores(texts)
        sims = self.similarities(texts) if self.exemplars is not None else np.zeros_like(nb)
        truth = np.array([self.classes.index(e.soc_code) for e in examples])
        rows = np.arange(len(examples))

        def loss(params: np.ndarray) -> float:
            z = params[0] * nb + params[1] * sims
            z -= z.max(axis=1, keepdims=True)
            return float(-(z[rows, truth] - np.log(np.exp(z).sum(axis=1))).mean())

        a, b = minimize(loss, np.array([0.35, 3.0]), method="Nelder-Mead").x
        self.nb_scale, self.embedding_scale = float(a), float(b) if self.exemplars is not None else 0.0
        posterior = _softmax(self.nb_scale * nb + self.embedding_scale * sims)
        right = posterior.argmax(axis=1) == truth
        platt = LogisticRegression(C=1e6).fit(_logit(posterior.max(axis=1))[:, None], right)
        self.confidence_map = (float(platt.coef_[0][0]), float(platt.intercept_[0]))

    def confidences(self, posterior: np.ndarray) -> np.ndarray:
        """The shown confidence of each code: its posterior, Platt-scaled when the model is calibrated."""
        if self.confidence_map is None:
            return posterior
        slope, intercept = self.confidence_map
        return 1.0 / (1.0 + np.exp(-(slope * _logit(posterior) + intercept)))

    def predict(self, texts: list[str], k: int = TOP_K) -> list[list[Prediction]]:
        """The k most likely SOC codes of each text, most likely first."""
        if not texts:
            return []
        scores = self.scores(list(texts))
        k = max(1, min(k, len(self.classes)))
        top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        posterior = self.confidences(_softmax(scores))
        return [
            [
                Prediction(
                    self.classes[j], self.onetsoc_codes[j], self.titles[j], round(float(posterior[i, j]), 4)
                )
                for j in row
            ]
            for i, row in enumerate(top)
        ]

    def evaluate(self, examples: list[Example], batch: int = 2000) -> dict:
        """On held-out examples: top-1 and top-3 accuracy; on those of them outside the calibration half
        (corpus.in_calibration_half: the calibration was fit on the others), the expected calibration
        error of the top-1 confidence, its reliability table and how the unsure flag splits them; per
        distinct title, top-1 and top-3 against any code it is listed under."""
        if not examples:
            return {"top1": 0.0, "top3": 0.0, "n": 0}
        hit1, hit3, confidence, unsure, top_codes = [], [], [], [], []
        for start in range(0, len(examples), batch):
            chunk = examples[start : start + batch]
            for example, predictions in zip(chunk, self.predict([e.text for e in chunk], k=3), strict=True):
                codes = [p.soc_code for p in predictions]
                top_codes.append(codes)
                hit1.append(codes[0] == example.soc_code)
                hit3.append(example.soc_code in codes)
                confidence.append(predictions[0].confidence)
                unsure.append(is_unsure(predictions))
        judged = np.array([not in_calibration_half(e.text) for e in examples])
        hit1, unsure = np.array(hit1), np.array(unsure)
        # O*NET lists some titles under several SOC codes (672 of 4,621 held out in 30.1) and one guess
        # matches one: per distinct title, is the best code (one of the best three) any of its codes?
        listed: dict[str, set[str]] = {}
        guessed: dict[str, list[str]] = {}
        for example, codes in zip(examples, top_codes, strict=True):
            listed.setdefault(normalise(example.text), set()).add(example.soc_code)
            guessed[normalise(example.text)] = codes
        ece, table = reliability(np.array(confidence)[judged], hit1[judged])
        sure = judged & ~unsure
        return {
            "top1": float(hit1.mean()),
            "top3": float(np.mean(hit3)),
            "n": len(examples),
            "top1_any_listed": float(np.mean([guessed[t][0] in socs for t, socs in listed.items()])),
            "top3_any_listed": float(np.mean([bool(socs & set(guessed[t])) for t, socs in listed.items()])),
            "distinct_titles": len(listed),
            "ece": ece,
            "ece_n": int(judged.sum()),
            "reliability": table,
            "unsure_share": float(unsure[judged].mean()) if judged.any() else 0.0,
            "top1_when_sure": float(hit1[sure].mean()) if sure.any() else 0.0,
            "top1_when_unsure": float(hit1[judged & unsure].mean()) if (judged & unsure).any() else 0.0,
        }

    def save(self, path: Path) -> None:
        """json for the vectorizers and the labels, npz for the arrays: no pickle."""
        path.mkdir(parents=True, exist_ok=True)
        save_features(self.features, path)
        sp.save_npz(path / "weights.npz", self.weights)
        meaning = {}
        if self.exemplars is not None:
            from occurisk_assets.text.encoder import MODEL_NAME, MODEL_VERSION

            meaning = {"exemplars": self.exemplars, "exemplar_starts": self.exemplar_starts}
            meaning_labels = {"encoder": MODEL_NAME, "encoder_version": MODEL_VERSION}
        np.savez(path / "vectors.npz", bias=self.bias, offset=self.offset, **meaning)
        (path / "labels.json").write_text(
            json.dumps(
                {
                    **(meaning_labels if meaning else {}),
                    "nb_scale": self.nb_scale,
                    "embedding_scale": self.embedding_scale,
                    "confidence_map": self.confidence_map,
                    "data_version": self.data_version,
                    "classes": self.classes,
                    "onetsoc_codes": self.onetsoc_codes,
                    "titles": self.titles,
                }
            )
        )

    @classmethod
    def load(cls, path: Path) -> OccupationCoder:
        features = load_features(path)
        weights = sp.load_npz(path / "weights.npz").tocsr()
        with np.load(io.BytesIO((path / "vectors.npz").read_bytes()), allow_pickle=False) as vectors:
            bias, offset = vectors["bias"], vectors["offset"]
            exemplars = vectors.get("exemplars")
            starts = vectors.get("exemplar_starts")
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
            exemplars,
            starts,
            labels.get("nb_scale", 1.0),
            labels.get("embedding_scale", 0.0),
            tuple(labels["confidence_map"]) if labels.get("confidence_map") else None,
        )
