"""Settings of a buckets build, the named presets, and the cached tiny abstraction (what a
blueprint trains on when no buckets file is given)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from holdem.abstraction import buckets as bk
from holdem.files import cache_dir

#: ``tiny``: 8 buckets per street on hand-strength features, fitted on 20,000 sampled hands per street.
PRESETS = {"tiny": {"k_preflop": 8, "k_flop": 8, "k_turn": 8, "k_river": 8, "hands": 20_000,
                    "n_init": 2, "max_iter": 10, "features": "strength"}}


class BucketsConfig(BaseModel):
    """Everything a buckets build needs (see :func:`holdem.abstraction.buckets.build`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    k_preflop: int = Field(default=24, ge=1, le=169, description="buckets on the preflop; 169 = lossless")
    k_flop: int = Field(default=80, ge=1, le=65535)
    k_turn: int = Field(default=80, ge=1, le=65535)
    k_river: int = Field(default=64, ge=1, le=65535)
    num_players: int = Field(default=2, ge=2, le=10, description="players the abstraction is for (manifest only)")
    seed: int = 42
    hands: int | None = Field(default=None, ge=100, description="fit k-means on this many sampled hands per "
                                                                 "street (None: exact, over every canonical hand)")
    n_init: int = Field(default=3, ge=1, description="k-means++ restarts per street")
    max_iter: int = Field(default=30, ge=1, description="Lloyd iterations per fit")
    features: Literal["histogram", "strength"] = "histogram"

    def build(self, progress: Callable[[str, int, int], None] | None = None
              ) -> tuple[bk.Buckets, list[bk.StreetReport]]:
        """The buckets of these settings and each street's quality report; ``progress`` as in :func:`bk.build`."""
        return bk.build({s: getattr(self, f"k_{s}") for s in bk.STREETS}, num_players=self.num_players,
                        seed=self.seed, hands=self.hands, n_init=self.n_init, max_iter=self.max_iter,
                        features=self.features, progress=progress)


def tiny_buckets_path(num_players: int) -> Path:
    """Where :func:`tiny_buckets` keeps the file for ``num_players`` (it may not exist yet), named by
    a fingerprint of the preset so that a changed preset is rebuilt rather than served stale."""
    fingerprint = hashlib.sha256(json.dumps(PRESETS["tiny"], sort_keys=True).encode()).hexdigest()[:12]
    return cache_dir() / f"tiny-buckets-{num_players}p-{fingerprint}.npz"


def tiny_buckets(num_players: int, progress: Callable[[str, int, int], None] | None = None) -> Path:
    """The cached buckets file of the ``tiny`` preset for ``num_players``, built on first use
    (``progress(stage, done, total)`` reports the build)."""
    path = tiny_buckets_path(num_players)
    if not path.exists():
        bk.save(BucketsConfig(**PRESETS["tiny"], num_players=num_players).build(progress)[0], path)
    return path
