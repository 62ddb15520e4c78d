#!/usr/bin/env python3
"""Throughput of the daily step: compiled kernel vs the per-person plain-Python reference.

Run: python benchmarks/bench_step.py [--n 100000] [--days 365] [--anchor PATH]

Prints person-days per second for
  - the compiled blocked kernel (what ``simulate`` runs) on N persons x DAYS days,
  - the per-person reference (``yotsu.model.reference``: the same ``_step.step``, Python floats),
and their ratio, all measured in this run, and the memory-streaming limit of a whole-array form
(every state array read and written once per simulated day) with the kernel's ratio to it. With
``--anchor`` (default: ../shared/bench/step_anchor.py when it exists) it also runs the shared
stand-in step's compiled blocked form beside it and prints the ratio of the real model to it. The
last line is JSON.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from yotsu.model import PersonParams, get_plan, simulate
from yotsu.model import _kernel as K
from yotsu.model._noise import person_keys
from yotsu.model.reference import simulate_reference


def cohort(n: int, seed: int = 0) -> PersonParams:
    rng = np.random.default_rng(seed)
    return PersonParams.from_values(
        {
            "tissue_drive": rng.uniform(1.0, 6.0, n),
            "gain_init": rng.uniform(1.0, 2.5, n),
            "threat_prior_init": rng.uniform(1.0, 9.0, n),
            "body_map_precision_init": rng.uniform(0.2, 0.9, n),
            "distress_base": rng.uniform(0.05, 0.6, n),
        }
    )


def kernel_rate(people: PersonParams, days: int, repeats: int = 3) -> float:
    """Person-days/s of the kernel alone (no warm-up, weekly records of pain only)."""
    plan = get_plan("clinic-approach").day_inputs(days)
    keys = person_keys(0, np.arange(people.n))
    rec = np.full(days, -1, dtype=np.int64)
    rec[::7] = np.arange(len(rec[::7]))
    series = np.array([K.SERIES.index("pain")], dtype=np.int64)
    out = np.empty((len(rec[::7]), 1, people.n))
    P = np.ascontiguousarray(people.matrix.T)
    S = np.zeros((K.N_STATES, people.n))
    K.run_kernel(
        P[:, :64].copy(), S[:, :64].copy(), keys[:64], plan[:2], 0, rec[:2], series, out[:, :, :64].copy(), True
    )
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        K.run_kernel(P, S, keys, plan, 0, rec, series, out, True)
        best = min(best, time.perf_counter() - t)
    return people.n * days / best


def trial_rate(n: int) -> float:
    """Person-days of trial follow-up per second, the shipped PRT spec end to end (cohort draw,
    warm-up, every arm, measurement, bootstrap, analysis)."""
    from yotsu.model.trials import get_trial, run_trial

    spec = get_trial("prt-trial")
    t = time.perf_counter()
    run_trial(spec, n=n)
    return n * len(spec.arms) * spec.days() / (time.perf_counter() - t)


def reference_rate(people: PersonParams, days: int) -> float:
    t = time.perf_counter()
    simulate_reference(people, "clinic-approach", days=days, warmup_days=0)
    return people.n * days / (time.perf_counter() - t)


def streaming_limit(n: int) -> float:
    """Person-days/s if each day had to read and write every state array once (the whole-array form's
    physical limit): measured copy bandwidth / (2 x states x 8 bytes)."""
    a = np.random.default_rng(0).random((K.N_STATES, n))
    b = np.empty_like(a)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        np.copyto(b, a)
        best = min(best, time.perf_counter() - t)
    return (2 * a.nbytes / best) / (2 * K.N_STATES * 8)


def load_anchor(path: Path) -> Callable[[int, int], float] | None:
    spec = importlib.util.spec_from_file_location("step_anchor", path)
    if spec is None or spec.loader is None:
        return None
    saved = sys.argv
    sys.argv = [str(path)]
    try:
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    finally:
        sys.argv = saved
    fn: Callable[[int, int], float] = mod.run_numba_blocked
    return fn


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--reference-n", type=int, default=200)
    ap.add_argument("--trial-n", type=int, default=30_000, help="persons of the prt-trial run (one chunk)")
    ap.add_argument("--rounds", type=int, default=3)
    here = Path(__file__).resolve()
    candidates = [up / "shared" / "bench" / "step_anchor.py" for up in here.parents[1:4]]
    default_anchor = next((c for c in candidates if c.exists()), None)
    ap.add_argument("--anchor", type=Path, default=default_anchor)
    args = ap.parse_args()

    people = cohort(args.n)
    import numba

    from yotsu.model.trials import run_trial

    run_trial("prt-trial", n=64, bootstrap=0)  # compile / load once
    anchor_fn = load_anchor(args.anchor) if args.anchor is not None else None
    # Other work shares this machine: each ratio is taken within one round, rounds repeated, medians kept.
    rounds: list[dict[str, float]] = []
    for _ in range(args.rounds):
        r: dict[str, float] = {}
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)  # type: ignore[attr-defined]
        r["kernel"] = kernel_rate(people, args.days, repeats=1)
        if anchor_fn is not None:
            r["anchor"] = args.n * args.days / anchor_fn(args.n, args.days)
        r["trial"] = trial_rate(args.trial_n)
        r["kernel_t"] = kernel_rate(cohort(args.trial_n), args.days, repeats=1)
        r["pow2"] = kernel_rate(cohort(2**15), args.days, repeats=1)
        r["padded"] = kernel_rate(cohort(2**15 + 8), args.days, repeats=1)
        numba.set_num_threads(1)
        r["kernel_1"] = kernel_rate(cohort(args.n // 4), args.days, repeats=1)
        if anchor_fn is not None:
            r["anchor_1"] = args.n // 4 * args.days / anchor_fn(args.n // 4, args.days)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)  # type: ignore[attr-defined]
        rounds.append(r)
        print("round", {k: f"{v:.3e}" for k, v in r.items()}, flush=True)

    def median(f: Callable[[dict[str, float]], float]) -> float:
        return float(np.median([f(r) for r in rounds]))

    fast = median(lambda r: r["kernel"])
    slow = reference_rate(cohort(args.reference_n, seed=1), args.days)
    e2e_t = time.perf_counter()
    simulate(
        people,
        "clinic-approach",
        days=args.days,
        record_days=np.arange(0, args.days, 7),
        series=["pain"],
        warmup_days=0,
    )
    end_to_end = args.n * args.days / (time.perf_counter() - e2e_t)
    stream = streaming_limit(args.n)
    result = {
        "streaming_limit_person_days_per_s": round(stream),
        "kernel_over_streaming_limit": round(fast / stream, 3),
        "n": args.n,
        "days": args.days,
        "cores": os.cpu_count(),
        "kernel_person_days_per_s": round(fast),
        "simulate_person_days_per_s": round(end_to_end),
        "reference_person_days_per_s": round(slow),
        "kernel_over_reference": round(fast / slow, 1),
        "seconds_for_1e6_x_365": round(1e6 * 365 / fast, 2),
    }
    print(f"kernel     {fast:12.3e} person-days/s   (10^6 x 365 days in {1e6 * 365 / fast:6.2f} s)")
    print(f"simulate() {end_to_end:12.3e} person-days/s   (includes validation and recording)")
    print(f"reference  {slow:12.3e} person-days/s   (same step, per person, Python floats)")
    print(f"kernel / reference = {fast / slow:8.1f}x   (issue target >= 500x; floor 3.6e7 person-days/s)")
    print(f"streaming  {stream:12.3e} person-days/s   (read + write all {K.N_STATES} state arrays once a day)")
    print(f"kernel / streaming limit = {fast / stream:6.3f}   (issue 4 target: within 3x, i.e. >= 0.333)")
    if anchor_fn is not None:
        anchor = median(lambda r: r["anchor"])
        result["anchor_blocked_person_days_per_s"] = round(anchor)
        result["kernel_over_anchor"] = round(median(lambda r: r["kernel"] / r["anchor"]), 3)
        result["kernel_single_thread_over_anchor_single_thread"] = round(
            median(lambda r: r["kernel_1"] / r["anchor_1"]), 3
        )
        print(f"anchor     {anchor:12.3e} person-days/s   (shared stand-in step, compiled blocked)")
        print(f"kernel / anchor = {result['kernel_over_anchor']:6.3f}   (issue 15 target >= 0.8)")
    result["pow2_over_padded"] = round(median(lambda r: r["pow2"] / r["padded"]), 3)
    result["trial_person_days_per_s"] = round(median(lambda r: r["trial"]))
    result["trial_over_kernel"] = round(median(lambda r: r["trial"] / r["kernel_t"]), 3)
    result["rounds"] = args.rounds
    result["trial_n"] = args.trial_n
    print(f"pow2 / padded = {result['pow2_over_padded']}   (n = 2^15 vs 2^15 + 8; target within 10%)")
    print(f"trial / kernel = {result['trial_over_kernel']}   (prt-trial follow-up person-days/s; target >= 0.5)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
