"""The shipped model: a TF-IDF weighted linear classifier stored as plain numpy arrays.

The artifact is two files, ``sentiment-<version>.npz`` (vocabulary bytes, idf, coefficients,
intercepts) and ``sentiment-<version>.json`` (labels, feature configuration, temperature,
training metrics). Nothing is pickled, so loading does not depend on the scikit-learn version
that trained it; inference below is a few dictionary look-ups and one small matrix product.
"""

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from feedback.sentiment.features import FeatureConfig


@dataclass(frozen=True)
class Block:
    """One feature block: vocabulary (feature -> row), idf and coefficient rows of those words."""

    name: str
    vocabulary: dict[str, int]
    idf: np.ndarray  # (n_words,)
    weights: np.ndarray  # (n_words, n_labels): coefficients, transposed

    def scores(self, features: list[str]) -> np.ndarray | None:
        """Sublinear TF-IDF of ``features``, L2-normalised, times this block's coefficients."""
        lookup = self.vocabulary.get
        rows, counts = [], []
        for feature, count in Counter(features).items():
            row = lookup(feature)
            if row is not None:
                rows.append(row)
                counts.append(count)
        if not rows:
            return None
        index = np.array(rows, dtype=np.int64)
        tf = 1.0 + np.log(np.array(counts, dtype=np.float64))
        values = tf * self.idf[index]
        values /= math.sqrt(values @ values)
        return values @ self.weights[index]


@dataclass(frozen=True)
class LinearModel:
    """Feature blocks, a linear layer and a temperature-scaled softmax for confidences."""

    version: str
    labels: tuple[str, ...]
    blocks: tuple[Block, ...]
    intercept: np.ndarray  # (n_labels,)
    temperature: float
    config: FeatureConfig
    meta: dict[str, Any] = field(default_factory=dict)

    def scores(self, features: dict[str, list[str]]) -> np.ndarray:
        """Return the decision score of every label for one comment's features."""
        total = self.intercept.astype(np.float64)
        for block in self.blocks:
            part = block.scores(features.get(block.name, []))
            if part is not None:
                total += part
        return total

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        """Turn decision scores into calibrated probabilities (temperature-scaled softmax)."""
        z = scores / self.temperature
        z = np.exp(z - z.max())
        return z / z.sum()

    def save(self, directory: Path) -> Path:
        """Write ``sentiment-<version>.npz`` and ``.json`` into ``directory``; return the npz."""
        directory.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {"intercept": self.intercept.astype(np.float64)}
        for block in self.blocks:
            ordered = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
            arrays[f"vocab_{block.name}"] = np.frombuffer(
                "\n".join(ordered).encode("utf-8"), dtype=np.uint8
            )
            arrays[f"idf_{block.name}"] = block.idf.astype(np.float32)
            arrays[f"weights_{block.name}"] = block.weights.astype(np.float32)
        npz_path = directory / f"sentiment-{self.version}.npz"
        np.savez_compressed(npz_path, **arrays)
        meta = {
            **self.meta,
            "version": self.version,
            "labels": list(self.labels),
            "blocks": [b.name for b in self.blocks],
            "temperature": self.temperature,
            "features": self.config.to_dict(),
        }
        npz_path.with_suffix(".json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        return npz_path


def _words(raw: np.ndarray) -> list[str]:
    """Decode a vocabulary stored as newline-joined UTF-8 bytes."""
    text = raw.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def load(npz_path: Path) -> LinearModel:
    """Load a model saved by :meth:`LinearModel.save` (no pickle involved)."""
    meta = json.loads(npz_path.with_suffix(".json").read_text(encoding="utf-8"))
    with np.load(npz_path, allow_pickle=False) as arrays:
        blocks = tuple(
            Block(
                name=name,
                vocabulary={w: i for i, w in enumerate(_words(arrays[f"vocab_{name}"]))},
                idf=arrays[f"idf_{name}"].astype(np.float64),
                weights=arrays[f"weights_{name}"].astype(np.float64),
            )
            for name in meta["blocks"]
        )
        intercept = arrays["intercept"].astype(np.float64)
    known = {"version", "labels", "blocks", "temperature", "features"}
    return LinearModel(
        version=meta["version"],
        labels=tuple(meta["labels"]),
        blocks=blocks,
        intercept=intercept,
        temperature=float(meta["temperature"]),
        config=FeatureConfig(**meta["features"]),
        meta={k: v for k, v in meta.items() if k not in known},
    )
