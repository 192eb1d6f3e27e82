"""Blueprint training settings: typed and validated, unknown keys rejected by name."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, field_validator

from holdem.engine import STREETS
from holdem.solver.schedule import MCCFRSchedule
from holdem.tree import GameConfig

_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "g": 1 << 30, "gb": 1 << 30,
          "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40}


def parse_bytes(text: str | int) -> int:
    """``"8G"`` -> 8589934592; plain ints are bytes."""
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", str(text))
        if not m or m.group(2).lower() not in _UNITS:
            raise ValueError(f"not a memory size: {text!r} (examples: 512M, 8G, 1.5GiB)")
        value = int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    if value <= 0:
        raise ValueError(f"memory size must be positive, got {text!r}")
    return value


def available_memory() -> int:
    """Bytes of memory available now (``MemAvailable``), or physical memory where unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


class TrainConfig(GameConfig, MCCFRSchedule):
    """Everything a blueprint run needs besides the buckets file and the log directory: the game
    and its action abstraction (:class:`GameConfig`), the schedule (:class:`MCCFRSchedule`,
    Pluribus's recipe in iterations), the budget and the outputs."""

    # budget
    iterations: int | None = Field(default=None, ge=1, description="iterations to run (one traversal per player each)")
    time_budget: float | None = Field(default=None, gt=0, description="seconds to run")
    batch_size: int = Field(default=1000, ge=1, description="iterations per worker between metric/discount points")
    average_streets: tuple[str, ...] = ("preflop",)
    # output
    metrics_interval: float = Field(default=10.0, gt=0, description="seconds between metric lines")
    snapshot_interval: float = Field(default=600.0, gt=0, description="seconds between strategy snapshots")
    checkpoint_interval: float = Field(default=1800.0, gt=0, description="seconds between checkpoints")
    keep_checkpoints: int = Field(default=3, ge=1)
    tensorboard: bool = True
    max_memory: str | int | None = Field(default=None, description="memory limit (default: available memory)")
    lazy: Literal["auto", "always", "never"] = "auto"

    @field_validator("average_streets")
    @classmethod
    def _streets(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [s for s in value if s not in STREETS]
        if bad:
            raise ValueError(f"unknown streets {bad}; choose from {STREETS}")
        return tuple(value)

    @field_validator("max_memory")
    @classmethod
    def _memory(cls, value):
        if value is not None:
            parse_bytes(value)
        return value

    def game(self) -> GameConfig:
        """The game and action abstraction of the betting tree."""
        return GameConfig(**{name: getattr(self, name) for name in GameConfig.model_fields})

    def memory_limit(self) -> int:
        return parse_bytes(self.max_memory) if self.max_memory is not None else available_memory()


def to_yaml(config: TrainConfig) -> str:
    """The resolved settings as YAML (what a run writes to its log directory)."""
    return yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False)
