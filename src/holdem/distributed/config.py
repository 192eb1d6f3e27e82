"""The ``cluster:`` settings of a distributed run, validated by name (no Ray needed to read them)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from holdem.training.config import TrainConfig


class ClusterConfig(BaseModel):
    """Where and how wide a distributed run is: the Ray cluster at ``address`` (``auto``: the one
    this machine belongs to, else a new local one), ``nodes`` actors (0: one per node of the cluster)
    of ``threads_per_node`` worker threads each (0: every CPU Ray gives the node, shared by its
    actors) and ``sync_interval`` seconds between merges."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    backend: Literal["ray"] = "ray"
    address: str = "auto"
    nodes: int = Field(default=0, ge=0, description="actors, 0 = one per node of the cluster")
    threads_per_node: int = Field(default=0, ge=0, description="worker threads per actor, 0 = every CPU")
    sync_interval: float = Field(default=30.0, gt=0, description="seconds between merges of the actors' deltas")


class ClusterTrainConfig(TrainConfig):
    """:class:`TrainConfig` with an optional ``cluster:`` section (the settings a command line reads)."""

    cluster: ClusterConfig | None = None

    def split(self) -> tuple[TrainConfig, ClusterConfig | None]:
        """The training settings (without the section, as checkpoints keep them) and the section."""
        return TrainConfig.model_validate(self.model_dump(exclude={"cluster"})), self.cluster
