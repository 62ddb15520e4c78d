"""The personal model's validation and speed: posterior calibration, forecasts, update and refit times.

    python benchmarks/bench_personal.py                      # 200 persons (the issue's check), both methods
    python benchmarks/bench_personal.py --persons 40 --methods laplace

1. Simulation-based calibration: persons drawn from the population prior, each with a 180-day diary simulated
   from the personal model (scattered missing days and a one-to-two-week gap, whole-number ratings); the share
   of true parameters inside their 80% posterior intervals (target 0.75-0.85), per method and per parameter.
2. Rolling-origin forecasts: fitted on days 0-89 and 0-119, forecast weekly means of the next 4 weeks; the
   share of true weekly means (of the ratings the person gives every day, recorded or not) inside the 80%
   bands (target 0.75-0.85), and the CRPS at week 4 against "same as last week" (the last recorded week's
   mean) and "the population's course" (the prior, starting from the person's first week).
3. Speed on one core: a full fit of a 180-day diary, and a daily update (a refit warm-started ... here: the
   same fit after one more day, which is what the task queue runs).
Shows progress; prints one table; writes --out figure (coverage and CRPS) if asked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time

os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

from yotsu.pathway.diary import Diary
from yotsu.pathway.personal import PARAMETERS, fit_diary, posterior_draws, prior_draw, simulate_course


def crps(samples: np.ndarray, y: float) -> float:
    """Continuous ranked probability score of an ensemble (lower is better)."""
    s = np.sort(samples)
    n = s.size
    return float(np.mean(np.abs(s - y)) - np.sum((2 * np.arange(1, n + 1) - n - 1) * s) / n**2)


def cut(diary: Diary, last: dt.date) -> Diary:
    return Diary(
        days=tuple(d for d in diary.days if d.date <= last),
        sessions=tuple(s for s in diary.sessions if s.date <= last),
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=200)
    ap.add_argument("--forecast-persons", type=int, default=60)
    ap.add_argument(
        "--methods",
        nargs="+",
        default=["laplace", "laplace_is", "emcee"],
        help="laplace (the default of fit_diary), laplace_is and emcee (ensemble MCMC, the reference)",
    )
    ap.add_argument("--emcee-persons", type=int, default=40, help="emcee is slow: only the first N persons")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", default=None, help="write a figure of the results to this PNG")
    args = ap.parse_args()
    con = Console(width=220)
    rng = np.random.default_rng(args.seed)
    persons, ratings = [], []
    for _ in range(args.persons):
        theta = prior_draw(rng)
        diary, every_day = simulate_course(theta, days=180, rng=rng)
        persons.append((theta, diary))
        ratings.append(every_day)

    table = Table(title="Personal model: posterior calibration (80% intervals; target 0.75-0.85)")
    table.add_column("method")
    table.add_column("coverage, all")
    for p in PARAMETERS:
        table.add_column(p[:12])
    table.add_column("s per fit")
    coverage_by_method: dict[str, float] = {}
    for method in args.methods:
        inside = np.zeros(len(PARAMETERS))
        t0 = time.perf_counter()
        group = persons[: args.emcee_persons] if method == "emcee" else persons
        for theta, diary in track(group, description=f"SBC {method}", console=con):
            post = posterior_draws(diary, method=method, draws=400, seed=1)  # type: ignore[arg-type]
            for i, p in enumerate(PARAMETERS):
                lo, hi = np.quantile(post[p], [0.1, 0.9])
                inside[i] += lo <= theta[p] <= hi
        per_fit = (time.perf_counter() - t0) / len(group)
        cov = inside / len(group)
        coverage_by_method[method] = float(cov.mean())
        table.add_row(f"{method} ({len(group)})", f"{cov.mean():.3f}", *[f"{c:.2f}" for c in cov], f"{per_fit:.2f}")
    con.print(table)

    # Rolling-origin forecasts.
    inside_n = total_n = 0
    crps_model, crps_last, crps_pop = [], [], []
    chosen = list(zip(persons, ratings, strict=True))[: args.forecast_persons]
    for (_theta, diary), every_day in track(chosen, description="rolling forecasts", console=con):
        start = dt.date(2025, 1, 1)  # simulate_course's day 0
        for origin in (89, 119):
            last = start + dt.timedelta(days=origin)
            past = cut(diary, last)
            # The truth: the week's mean of the ratings the person gives every day (recorded or not).
            obs: list[float | None] = [
                float(every_day[origin + 1 + 7 * w : origin + 8 + 7 * w].mean()) for w in range(4)
            ]
            for source, store in (("diary", crps_model), ("population", crps_pop)):
                fit = fit_diary(
                    past if source == "diary" else cut(past, start + dt.timedelta(days=6)),
                    plans=["none"],
                    as_of=last,
                    seed=3,
                    draws=400,
                )
                fc = fit.forecasts[0]
                if source == "diary":
                    for w, y in enumerate(obs):
                        if y is None:
                            continue
                        lo, hi = fc.band80[w]
                        inside_n += lo <= y <= hi
                        total_n += 1
                if obs[3] is not None:
                    # An ensemble from the 10/25/50/75/90% quantiles is a coarse CRPS; use them as samples.
                    q = [fc.band80[3][0], fc.band50[3][0], fc.median[3], fc.band50[3][1], fc.band80[3][1]]
                    store.append(crps(np.array(q), obs[3]))
            recent = [d.pain_nrs for d in past.days if d.date > last - dt.timedelta(days=7) and d.pain_nrs is not None]
            recent = recent or [d.pain_nrs for d in past.days[-7:] if d.pain_nrs is not None]
            if obs[3] is not None and recent:
                crps_last.append(abs(float(np.mean(recent)) - obs[3]))  # a point forecast's CRPS is its error
    t = Table(title="Rolling-origin forecasts (weeks 1-4 after day 90 and day 120)")
    t.add_column("80% band coverage (target 0.75-0.85)")
    t.add_column("CRPS week 4: model")
    t.add_column("same as last week")
    t.add_column("population's course")
    t.add_row(
        f"{inside_n / max(total_n, 1):.3f} ({total_n} weeks)",
        f"{np.mean(crps_model):.3f}",
        f"{np.mean(crps_last):.3f}",
        f"{np.mean(crps_pop):.3f}",
    )
    con.print(t)

    # Speed on one core: a full fit (with forecasts under four plans) and the daily update after one more day.
    theta, diary = persons[0]
    fit_diary(diary, draws=400)  # compile and warm caches
    t0 = time.perf_counter()
    fit_diary(cut(diary, max(d.date for d in diary.days) - dt.timedelta(days=1)), draws=400)
    refit = time.perf_counter() - t0
    t0 = time.perf_counter()
    fit_diary(diary, plans=["none"], draws=200)
    update = time.perf_counter() - t0
    con.print(
        f"full refit of a 180-day diary with four plans: {refit:.2f} s (target <= 30 s); "
        f"daily update (one plan, 200 draws): {update:.2f} s (target <= 2 s)"
    )
    if args.out:
        from yotsu.pathway.figures import personal_validation_figure

        personal_validation_figure(
            coverage_by_method,
            inside_n / max(total_n, 1),
            {
                "model": float(np.mean(crps_model)),
                "same as last week": float(np.mean(crps_last)),
                "population": float(np.mean(crps_pop)),
            },
        ).savefig(args.out, dpi=120)
        con.print(f"figure: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
