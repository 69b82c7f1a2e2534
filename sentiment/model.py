"""The learned linear heads over hashed n-grams, stored as one compact .npz."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from sentiment import features

MODELS_DIR = Path(__file__).resolve().parent / "models"
HEADS_PATH = MODELS_DIR / "heads.npz"


@dataclass(slots=True)
class Head:
    name: str
    columns: slice
    bias: npt.NDArray[np.float64]
    temperature: float = 1.0


@dataclass
class Heads:
    version: str
    idf: npt.NDArray[np.float32]
    weights: npt.NDArray[np.float32]  # (N_BUCKETS, total columns)
    heads: dict[str, Head] = field(default_factory=dict)
    combine_power: float = 1.0  # recalibrates the mean of the per-language and joint heads

    def __post_init__(self) -> None:
        self._scaled = np.ascontiguousarray(self.weights * self.idf[:, None], dtype=np.float32)

    def logits(self, hashed: features.Hashed) -> dict[str, npt.NDArray[np.float64]]:
        raw = features.scores(hashed, self.idf, self._scaled)
        return {
            name: (raw[:, h.columns] + h.bias) / h.temperature for name, h in self.heads.items()
        }

    def save(self, path: Path = HEADS_PATH) -> None:
        # int8 per column with a float scale: a quarter of float32, no measurable loss.
        scale = np.abs(self.weights).max(axis=0) / 127.0
        scale[scale == 0] = 1.0
        q = np.round(self.weights / scale).astype(np.int8)
        meta = {
            "version": self.version,
            "bits": features.BITS,
            "combine_power": self.combine_power,
            "heads": [
                {
                    "name": h.name,
                    "start": h.columns.start,
                    "stop": h.columns.stop,
                    "bias": [float(b) for b in h.bias],
                    "temperature": h.temperature,
                }
                for h in self.heads.values()
            ],
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            weights=q,
            scale=scale.astype(np.float32),
            idf=self.idf.astype(np.float16),
            meta=np.array(json.dumps(meta)),
        )


def load(path: Path = HEADS_PATH) -> Heads:
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        if meta["bits"] != features.BITS:
            raise ValueError(f"model {path.name} was built for {meta['bits']}-bit hashing")
        weights = z["weights"].astype(np.float32) * z["scale"]
        idf = z["idf"].astype(np.float32)
    heads = {
        h["name"]: Head(
            h["name"], slice(h["start"], h["stop"]), np.array(h["bias"]), h["temperature"]
        )
        for h in meta["heads"]
    }
    return Heads(
        meta["version"],
        idf,
        np.ascontiguousarray(weights),
        heads,
        combine_power=float(meta.get("combine_power", 1.0)),
    )
