"""Training beyond one machine: the threaded trainers of several nodes merged through Ray.

Each Ray actor runs the existing worker threads on its own copy of the tables; every sync the
actors send what changed (int32 regret deltas, float64 strategy-sum deltas), the driver adds them
into the master tables, applies the schedule at the global iteration count, writes checkpoints in
the usual format and publishes the master once through the object store.  :mod:`.config` needs no
Ray; the other modules import it (``pip install 'holdem[distributed]'``).
"""
