"""The article in one figure and one table: two persons, 26 weeks, five plans (``yotsu demo``)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.progress import Progress

from yotsu.i18n import gettext as _
from yotsu.model.figures import comparison_figure
from yotsu.model.simulate import SimulationResult, simulate

DEMO_PROFILES = ("typical", "sensitised")
DEMO_PLANS = (
    "none",
    "comfortable-massage-weekly",
    "strong-massage-weekly",
    "adaptive-massage-weekly",
    "clinic-approach",
)
DEMO_DAYS = 26 * 7 + 1
DEMO_SERIES = ("pain", "guarding", "tolerance", "body_map_precision", "threat_prior")


@dataclass(frozen=True)
class Demo:
    results: dict[str, dict[str, SimulationResult]]
    rows: list[dict[str, Any]]
    figure_path: Path
    table_path: Path


def _row(res: SimulationResult, lang: str) -> dict[str, Any]:
    pain = {w: float(res.at_day("pain", 7 * w).mean()) for w in (0, 4, 12, 26)}
    massages = [s for s in res.sessions(0) if s["kind"] == "massage"]
    mean_relief = [float(res.at_day("relief", s["day"]).mean()) for s in massages]
    mean_pressure = [float(res.at_day("pressure", s["day"]).mean()) for s in massages]
    return {
        "profile": res.profile,
        "profile_title": res.profile_title(lang),
        "plan": res.plan.name,
        "plan_title": res.plan.title(lang),
        "pain": pain,
        "tolerance_week12": float(res.at_day("tolerance", 84).mean()),
        "guarding_week12": float(res.at_day("guarding", 84).mean()),
        "relief_first_session": mean_relief[0] if mean_relief else None,
        "relief_last_session": mean_relief[-1] if mean_relief else None,
        "pressure_first_session": mean_pressure[0] if mean_pressure else None,
        "pressure_last_session": mean_pressure[-1] if mean_pressure else None,
    }


def run_demo(n: int = 200, seed: int = 0, lang: str = "en", out: Path | None = None, progress: bool = False) -> Demo:
    """Simulate the demo, write ``demo.png`` and ``demo.csv`` into ``out``, return both and the rows."""
    out = Path(out or "yotsu-demo")
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, SimulationResult]] = {p: {} for p in DEMO_PROFILES}
    jobs = [(p, plan) for p in DEMO_PROFILES for plan in DEMO_PLANS]
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task(_("simulating", lang), total=len(jobs))
        for prof, plan in jobs:
            results[prof][plan] = simulate(prof, plan, days=DEMO_DAYS, n=n, seed=seed)
            bar.advance(task)
    rows = [_row(results[p][plan], lang) for p, plan in jobs]
    fig = comparison_figure(results, DEMO_SERIES, lang=lang)
    figure_path = out / "demo.png"
    fig.savefig(figure_path, dpi=100)
    table_path = out / "demo.csv"
    with table_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "profile",
                "plan",
                "pain_w0",
                "pain_w4",
                "pain_w12",
                "pain_w26",
                "tolerance_w12",
                "guarding_w12",
                "relief_first",
                "relief_last",
                "pressure_first",
                "pressure_last",
            ]
        )
        for r in rows:
            writer.writerow(
                [
                    r["profile"],
                    r["plan"],
                    *(round(r["pain"][w], 3) for w in (0, 4, 12, 26)),
                    round(r["tolerance_week12"], 3),
                    round(r["guarding_week12"], 3),
                    *(
                        None if r[k] is None else round(r[k], 3)
                        for k in (
                            "relief_first_session",
                            "relief_last_session",
                            "pressure_first_session",
                            "pressure_last_session",
                        )
                    ),
                ]
            )
    return Demo(results=results, rows=rows, figure_path=figure_path, table_path=table_path)
