"""The Ray side of a distributed run: joining the cluster, placing actors on nodes, checking that
every node runs the same code.

Nothing here trains; :mod:`.blueprint` and :mod:`.solver` put their actors where :func:`placements`
says, one per node unless asked for more.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

import holdem

PACKAGE = Path(holdem.__file__).resolve().parent


class ClusterError(RuntimeError):
    """A cluster that cannot run the job (unreachable, too small, a node with other code or too little
    memory); the message says which and why in one line."""


def source_sha256() -> str:
    """Hex sha256 of the ``holdem`` package's Python sources (relative paths and bytes, sorted): two
    nodes train together only when theirs agree."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        h.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def connect(address: str) -> None:
    """Join the Ray cluster at ``address`` (``auto``: the one this machine belongs to, else a new
    local one), unless this process already has one."""
    if ray.is_initialized():
        return
    try:
        ray.init(address=None if address == "auto" else address, include_dashboard=False,
                 logging_level="WARNING", log_to_driver=True)
    except (ConnectionError, ValueError, RuntimeError) as e:
        raise ClusterError(f"cannot join the Ray cluster at {address}: {str(e).splitlines()[0]}") from None


@dataclass(frozen=True)
class Slot:
    """Where one actor runs: its node (Ray id and IP address) and its worker threads."""

    node_id: str
    node_ip: str
    threads: int

    def options(self, elsewhere: bool = False) -> dict:
        """Ray actor options that place an actor here (the CPUs it uses reserved), or on another node
        when this one is gone and ``elsewhere``."""
        return {"num_cpus": self.threads, "max_concurrency": 2,
                "scheduling_strategy": NodeAffinitySchedulingStrategy(self.node_id, soft=elsewhere)}


def placements(actors: int, threads: int) -> list[Slot]:
    """``actors`` slots (0: one per alive node) dealt round-robin over the alive nodes with CPUs, each
    of ``threads`` threads (0: the node's CPUs shared evenly by the actors placed on it)."""
    nodes = sorted((n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) >= 1),
                   key=lambda n: n["NodeID"])
    if not nodes:
        raise ClusterError("the Ray cluster has no alive node with a CPU")
    count = actors or len(nodes)
    chosen = [nodes[i % len(nodes)] for i in range(count)]
    slots = []
    for i, node in enumerate(chosen):
        cpus = int(node["Resources"]["CPU"])
        sharing = sum(1 for other in chosen if other is node)
        width = threads or max(1, cpus // sharing)
        if width * sharing > cpus:
            raise ClusterError(f"node {node['NodeManagerAddress']} has {cpus} CPUs for Ray, {sharing} actors of "
                               f"{width} threads need {width * sharing}")
        slots.append(Slot(node["NodeID"], node["NodeManagerAddress"], width))
    return slots
