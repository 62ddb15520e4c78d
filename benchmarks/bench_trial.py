"""Throughput of an in-silico trial: single process and a local Dask cluster.

Prints seconds, person-days per second of trial follow-up (persons x arms x follow-up days, the
figure ``bench_step.py`` sets against the kernel) and of everything simulated (the warm-up runs once
per chunk, then every arm from a copy of the warm state), and the peak resident memory of this
process (for the Dask run, of the client only; workers report their own). Usage::

    python benchmarks/bench_trial.py --n 200000 --trial prt-trial --workers 2
"""

from __future__ import annotations

import argparse
import resource
import time

from yotsu.model.simulate import DEFAULT_WARMUP_DAYS
from yotsu.model.trials import get_trial, run_trial


def person_days(trial: str, n: int) -> tuple[int, int]:
    """(follow-up person-days of all arms, all simulated person-days: warm-up once and the arms)."""
    spec = get_trial(trial)
    follow_up = n * len(spec.arms) * spec.days()
    return follow_up, follow_up + n * DEFAULT_WARMUP_DAYS


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--trial", default="prt-trial")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--bootstrap", type=int, default=200)
    ap.add_argument("--workers", type=int, default=0, help="also run on a local Dask cluster of this many workers")
    args = ap.parse_args()
    run_trial(args.trial, n=64, bootstrap=0)  # compile / load the kernel once
    pd, simulated = person_days(args.trial, args.n)
    t = time.perf_counter()
    here = run_trial(args.trial, n=args.n, bootstrap=args.bootstrap)
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"single process: {args.n} persons in {dt:.1f} s: {pd / dt:.3g} follow-up person-days/s"
          f" ({simulated / dt:.3g} simulated, warm-up once); peak RSS {peak:.0f} MiB")  # fmt: skip
    if args.workers:
        from yotsu.model._dask import dask_client, dask_runner

        with dask_client(workers=args.workers) as client:
            client.run(run_trial, args.trial, n=64, bootstrap=0)  # load the kernel on every worker, not just one
            t = time.perf_counter()
            there = run_trial(args.trial, n=args.n, bootstrap=args.bootstrap, runner=dask_runner(client))
            dt = time.perf_counter() - t
        print(f"dask ({args.workers} workers): {pd / dt:.3g} follow-up person-days/s in {dt:.1f} s;"
              f" equal to single process: {there.to_json() == here.to_json()}")  # fmt: skip


if __name__ == "__main__":
    main()
