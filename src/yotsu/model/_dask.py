"""Run a trial's chunks of persons on a Dask cluster (``pip install 'yotsu[cluster]'``).

Each chunk is a range of person ids; a worker draws those persons, simulates every arm and
returns integer summaries, so the reduced result equals a single-process run exactly, whatever the
number of workers or the order in which chunks finish.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from yotsu.model.trials import TrialSpec, TrialSums, run_chunk_range


class ClusterError(RuntimeError):
    """Dask is missing or the cluster cannot be reached."""


def _distributed() -> Any:
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise ClusterError("Dask is not installed: pip install 'yotsu[cluster]'") from None


@contextmanager
def dask_client(address: str | None = None, workers: int = 2) -> Iterator[Any]:
    """A ``distributed.Client``: to the scheduler at ``address``, else a local cluster of
    ``workers`` processes (one thread each; the kernel's own threads use the cores)."""
    dist = _distributed()
    Client, LocalCluster = dist.Client, dist.LocalCluster
    if address is not None:
        try:
            client = Client(address, timeout="20s")
        except OSError as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        try:
            yield client
        finally:
            client.close()
        return
    # Dask starts workers with MALLOC_TRIM_THRESHOLD_ set, which also fixes glibc's mmap threshold at
    # 128 KiB: every large NumPy temporary of a chunk is then mapped and page-faulted afresh (a chunk
    # ran 2x slower with it in one process, 7x in a worker). The other variables Dask sets are kept.
    environ = {k: v for k, v in dask_config().get("distributed.nanny.pre-spawn-environ", {}).items()
               if k != "MALLOC_TRIM_THRESHOLD_"}  # fmt: skip
    with (
        dask_config().set({"distributed.nanny.pre-spawn-environ": environ}),
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client


def dask_config() -> Any:
    """``dask.config`` (imported only when a cluster is used)."""
    return importlib.import_module("dask.config")


def dask_runner(client: Any) -> Any:
    """A chunk runner for :func:`yotsu.model.trials.run_trial` that submits chunks to ``client``."""

    def run(
        spec: TrialSpec, ranges: list[tuple[int, int]], seed: int, bootstrap: int, defaults: Mapping[str, float]
    ) -> Iterable[TrialSums]:
        as_completed = _distributed().as_completed
        spec_f = client.scatter(spec, broadcast=True, hash=False)  # a fresh key: a released twin cannot vanish
        futures = [
            client.submit(run_chunk_range, spec_f, lo, hi, seed, bootstrap, dict(defaults), pure=False)
            for lo, hi in ranges
        ]
        for fut in as_completed(futures):
            yield fut.result()

    return run
