"""``yotsu fit``: the personal model fitted to a diary file, with forecasts under each plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from yotsu.cli._common import LangOption, console, fail, lang_of
from yotsu.i18n import gettext as _
from yotsu.model import PlanError
from yotsu.pathway import PathwayError
from yotsu.pathway.assess import load_answers
from yotsu.pathway.diary import load_diary_csv
from yotsu.pathway.personal import DEFAULT_PLANS, PersonalFit, fit_diary
from yotsu.pathway.triage import Route, triage

personal_app = typer.Typer(add_completion=False)


def _print(fit: PersonalFit, lang: str) -> None:
    console.print(f"[bold]{fit.message(lang)}[/]")
    if fit.red_flag:
        return
    table = Table(title=_("What drives your pain (NRS points; 80% interval)", lang))
    for col in (_("Driver", lang), _("Median", lang), _("80% interval", lang)):
        table.add_column(col)
    for d in fit.drivers:
        table.add_row(d.label(lang), f"{d.points.median:+.2f}", f"{d.points.low:+.2f} … {d.points.high:+.2f}")
    console.print(table)
    if fit.massage is not None:
        m = fit.massage
        console.print(
            _(
                "Massage ({n} sessions): relief {first} points after the first, {now} now; half gone after {half} "
                "days; trend: {trend}",
                lang,
                n=m.sessions,
                first=f"{m.relief_first.median:.1f}",
                now=f"{m.relief_now.median:.1f}",
                half=f"{m.half_life_days.median:.1f}",
                trend=_(m.trend, lang),
            )
        )
    table = Table(title=_("Weekly mean pain in 12 weeks under each plan", lang))
    for col in (
        _("Plan", lang),
        _("Week 4", lang),
        _("Week 12", lang),
        _("80% band, week 12", lang),
        _("Chance of a clear improvement", lang),
    ):
        table.add_column(col)
    for f in fit.forecasts:
        low, high = f.band80[-1]
        table.add_row(
            f.title(lang),
            f"{f.median[3]:.1f}",
            f"{f.median[-1]:.1f}",
            f"{low:.1f} … {high:.1f}",
            f"{100 * f.p_improvement:.0f}%",
        )
    console.print(table)
    table = Table(title=_("What the diary has told us (80% intervals: population, then you)", lang))
    for col in (_("Parameter", lang), _("Population", lang), _("You", lang), _("Informed by the diary", lang)):
        table.add_column(col)
    for i in fit.informed:
        table.add_row(
            i.meaning(lang),
            f"{i.prior.low:.2g} … {i.prior.high:.2g}",
            f"{i.posterior.low:.2g} … {i.posterior.high:.2g}",
            _("yes", lang) if i.informed else "—",
        )
    console.print(table)
    if fit.n_of_1 is not None:
        console.print(fit.n_of_1.text(lang))
    console.print(f"[dim]{fit.disclaimer(lang)}[/]")


@personal_app.command("fit")
def fit_cmd(
    diary: Annotated[Path, typer.Argument(help="Diary CSV (the format `yotsu track` reads).")],
    answers: Annotated[
        Path | None, typer.Option("--answers", help="Answers file of `yotsu assess` (triage, 0-10 pain).")
    ] = None,
    plan: Annotated[
        list[str] | None, typer.Option("--plan", help="Plan to forecast (repeat); default: four shipped plans.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result as one JSON object (README contract).")
    ] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write the fan chart of the forecasts to this PNG.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the posterior draws.")] = 0,
    lang: LangOption = "en",
) -> None:
    """Fit the personal model to a diary and forecast 12 weeks under each plan (a model estimate, not a diagnosis)."""
    lang = lang_of(lang)
    try:
        records = load_diary_csv(diary)
        red_flag: bool | None = None
        baseline: float | None = None
        if answers is not None:
            given = load_answers(answers)
            if given.triage:
                referred = triage(given.triage).route in {Route.EMERGENCY, Route.URGENT, Route.ROUTINE_MEDICAL}
                red_flag = referred or bool(records.red_flags)
            pain = given.instruments.get("nrs_pain", {}).get("q1") if given.instruments else None
            baseline = float(pain) if pain is not None else None
        fit = fit_diary(
            records, plans=tuple(plan) if plan else DEFAULT_PLANS, red_flag=red_flag, baseline_pain=baseline, seed=seed
        )
    except FileNotFoundError as exc:
        raise fail(_("file not found: {path}", lang, path=exc.filename or diary)) from None
    except (PathwayError, PlanError) as exc:
        raise fail(exc.localized(lang) if isinstance(exc, PathwayError) else str(exc)) from None
    if out is not None:
        from yotsu.pathway.figures import forecast_figure

        forecast_figure(fit, lang).savefig(out, dpi=120)
    if as_json:
        typer.echo(json.dumps(fit.to_json(), ensure_ascii=False))
    else:
        _print(fit, lang)
        if out is not None:
            console.print(_("Figure written: {path}", lang, path=out))


@personal_app.command("warm")
def warm_cmd(lang: LangOption = "en") -> None:
    """Compile the model's kernels once (Numba keeps them on disk), so the first page or command need not wait."""
    import time

    import numpy as np

    from yotsu.pathway.explain import explain
    from yotsu.pathway.personal import prior_draw, simulate_diary
    from yotsu.pathway.profile import build_profile

    lang = lang_of(lang)
    started = time.perf_counter()
    with console.status(_("Compiling the model (once, up to a minute)…", lang)):
        explain(build_profile({}), None, n=20, seed=0, days=28)
        rng = np.random.default_rng(0)
        fit_diary(simulate_diary(prior_draw(rng), days=30, rng=rng), plans=["none"], draws=50)
    console.print(
        _("The model is compiled and cached ({seconds} s).", lang, seconds=f"{time.perf_counter() - started:.1f}")
    )
