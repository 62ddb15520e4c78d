"""A real Dask cluster (scheduler + 2 worker processes) gives exactly the single-process result."""

from __future__ import annotations

from yotsu.model._dask import dask_client, dask_runner
from yotsu.model.trials import run_trial


def test_local_cluster_result_equals_single_process_for_the_same_seed():
    kwargs = dict(n=240, seed=11, bootstrap=8, chunk_size=60)
    here = run_trial("prt-trial", **kwargs).to_json()
    with dask_client(workers=2) as client:
        info = client.scheduler_info()
        assert len(info["workers"]) == 2
        pids = set(client.run(lambda: __import__("os").getpid()).values())
        assert len(pids) == 2 and __import__("os").getpid() not in pids  # separate processes
        # Workers keep glibc's adaptive mmap threshold (Dask's trim setting made chunks 2-7x slower).
        trim = client.run(lambda: __import__("os").environ.get("MALLOC_TRIM_THRESHOLD_"))
        assert set(trim.values()) == {None}
        there = run_trial("prt-trial", runner=dask_runner(client), **kwargs).to_json()
        again = run_trial("prt-trial", runner=dask_runner(client), **kwargs).to_json()  # same spec, same client
    assert there == here
    assert again == here
