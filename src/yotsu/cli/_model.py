"""``yotsu simulate``, ``yotsu demo``, and the listings of profiles, plans, parameters and evidence."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.progress import Progress
from rich.table import Table

from yotsu.cli._common import LangOption, console, err_console, fail, lang_of
from yotsu.evidence import EvidenceLevel, registry
from yotsu.i18n import gettext as _
from yotsu.model import (
    MAIN_SERIES,
    ParameterError,
    PlanError,
    ProfileError,
    SimulationError,
    get_plan,
    named_plans,
    named_profiles,
    parameter_table,
    simulate,
)
from yotsu.model.demo import DEMO_PLANS, DEMO_PROFILES, run_demo

model_app = typer.Typer(add_completion=False)


def _parse_overrides(values: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in values:
        name, sep, raw = item.partition("=")
        if not sep:
            raise fail(f"--param expects NAME=VALUE, got {item!r}")
        value = raw.strip()
        if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?", value) or not math.isfinite(float(value)):
            raise fail(
                f"--param {name}: {raw!r} is not a finite number written with ASCII digits 0-9, like 0.5"
            ) from None
        out[name.strip()] = float(value)
    return out


@model_app.command("simulate")
def simulate_cmd(
    profile: Annotated[str, typer.Option(help="Named profile (see `yotsu profiles`).")] = "typical",
    plan: Annotated[str, typer.Option(help="Named plan or a plan YAML file (see `yotsu plans`).")] = "none",
    days: Annotated[int, typer.Option(min=1, max=36500, help="Days to simulate after the warm-up.")] = 182,
    seed: Annotated[int, typer.Option(min=0, help="Seed of every random draw.")] = 0,
    n: Annotated[
        int, typer.Option(min=1, max=100_000, help="Persons with this profile (own day-to-day noise each).")
    ] = 1,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="Override a parameter: NAME=VALUE (repeatable).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write a figure (PNG, SVG or PDF).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object (person 0).")] = False,
    lang: LangOption = "en",
) -> None:
    """Simulate one person (or n) day by day under a plan."""
    lang = lang_of(lang)
    try:
        prof = named_profiles().get(profile)
        if prof is None:
            raise ProfileError(f"unknown profile {profile!r}; named profiles: {', '.join(named_profiles())}")
        values = dict(prof.values)
        values.update(_parse_overrides(param or []))
        with Progress(transient=True, disable=n * days < 20_000_000, console=err_console) as bar:
            task = bar.add_task(_("simulating", lang), total=n)
            # Large cohorts keep weekly values of the main series (the table and the figure use those).
            big = n > 1000
            result = simulate(
                values,
                get_plan(plan),
                days=days,
                n=n,
                seed=seed,
                chunk_persons=max(1, n // 50),
                record_days=range(0, days, 7) if big else None,
                series=(*MAIN_SERIES, "pressure", "relief") if big else None,
                progress=lambda done, total: bar.update(task, completed=done),
            )
        result = type(result)(**{**result.__dict__, "profile": profile})
    except (ParameterError, PlanError, ProfileError, SimulationError) as exc:
        raise fail(str(exc)) from None
    if out is not None:
        from yotsu.model.figures import trajectory_figure

        fig = trajectory_figure(result, (*MAIN_SERIES[:6], "tolerance", "spread"), lang=lang)
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, dpi=110)
    if as_json:
        typer.echo(json.dumps(result.to_json(0)))
        return
    table = Table(title=_("{profile} under {plan}", lang, profile=prof.title(lang), plan=result.plan.title(lang)))
    table.add_column(_("Week", lang), justify="right")
    for name in ("pain", "guarding", "gain", "body_map_precision", "threat_prior", "tolerance"):
        table.add_column(name, justify="right")
    for k in range(0, len(result.days), 1 if n > 1000 else 7):
        table.add_row(
            str(int(result.days[k]) // 7),
            *(
                f"{float(np.mean(result.series[s][k])):.2f}"
                for s in ("pain", "guarding", "gain", "body_map_precision", "threat_prior", "tolerance")
            ),
        )
    console.print(table)
    console.print(_("Model output, not a diagnosis.", lang))
    if out is not None:
        console.print(_("Figure written to {path}", lang, path=str(out)))


@model_app.command("demo")
def demo_cmd(
    out: Annotated[Path, typer.Option(help="Folder for the figure and the table.")] = Path("yotsu-demo"),
    n: Annotated[int, typer.Option(min=1, max=100_000, help="Persons per profile (same parameters, own noise).")] = 200,
    seed: Annotated[int, typer.Option(min=0, help="Seed of every random draw.")] = 0,
    lang: LangOption = "en",
) -> None:
    """The article in one figure and one table: two persons, 26 weeks, five plans."""
    lang = lang_of(lang)
    demo = run_demo(n=n, seed=seed, lang=lang, out=out, progress=True)
    table = Table(title=_("Mean pain (NRS 0-10) by week, and what the plan did", lang))
    table.add_column(_("Profile", lang))
    table.add_column(_("Plan", lang))
    for w in (0, 4, 12, 26):
        table.add_column(_("week {w}", lang, w=w), justify="right")
    table.add_column(_("tolerance at week 12", lang), justify="right")
    for row in demo.rows:
        table.add_row(
            row["profile_title"],
            row["plan_title"],
            *(f"{row['pain'][w]:.1f}" for w in (0, 4, 12, 26)),
            f"{row['tolerance_week12']:.1f}",
        )
    console.print(table)
    console.print(_("Figure: {path}", lang, path=str(demo.figure_path)))
    console.print(_("Table: {path}", lang, path=str(demo.table_path)))
    console.print(_("Model output, not a diagnosis.", lang))


@model_app.command("profiles")
def profiles_cmd(lang: LangOption = "en") -> None:
    """List the named profiles."""
    lang = lang_of(lang)
    table = Table(title=_("Profiles", lang))
    for col in ("name", _("Title", lang), _("Evidence", lang), _("Level", lang), _("Values", lang)):
        table.add_column(col)
    for p in named_profiles().values():
        table.add_row(
            p.name,
            p.title(lang) + "\n" + p.description(lang),
            ", ".join(p.evidence),
            p.level.label(lang),
            "\n".join(f"{k} = {v:g}" for k, v in p.values.items()) or _("defaults", lang),
        )
    console.print(table)


@model_app.command("plans")
def plans_cmd(lang: LangOption = "en") -> None:
    """List the named plans."""
    lang = lang_of(lang)
    table = Table(title=_("Plans", lang))
    for col in ("name", _("Title", lang), _("Sessions", lang), _("Evidence", lang), _("Level", lang)):
        table.add_column(col)
    for p in named_plans().values():
        sessions = (
            "\n".join(
                f"{s.kind}"
                + (f" ({_('pressure', lang)} {s.pressure})" if s.kind == "massage" else "")
                + f": {len(s.session_days())} × {s.dose:g}"
                for s in p.sessions
            )
            or "—"
        )
        table.add_row(
            p.name,
            p.title(lang) + "\n" + p.description(lang),
            sessions,
            ", ".join(p.evidence),
            p.level.label(lang),
        )
    console.print(table)


@model_app.command("parameters")
def parameters_cmd(lang: LangOption = "en") -> None:
    """List every model parameter with its default, range, unit, meaning and evidence."""
    lang = lang_of(lang)
    table = Table(title=_("Model parameters", lang))
    for col in (
        "name",
        _("Default", lang),
        _("Range", lang),
        _("Unit", lang),
        _("Meaning", lang),
        _("Evidence", lang),
        _("Level", lang),
    ):
        table.add_column(col)
    for spec in parameter_table().values():
        table.add_row(
            spec.name,
            f"{spec.default:g}" + (f" ({_('calibrated', lang)} {spec.calibration})" if spec.calibration else ""),
            f"{spec.range[0]:g}–{spec.range[1]:g}",
            spec.unit,
            spec.meaning(lang),
            ", ".join(spec.evidence),
            spec.level.label(lang),
        )
    console.print(table)


@model_app.command("evidence")
def evidence_cmd(
    level: Annotated[
        str | None, typer.Option(help="Only this level: established, reported or clinical_impression.")
    ] = None,
    lang: LangOption = "en",
) -> None:
    """List every citation in the evidence registry with its evidence level."""
    lang = lang_of(lang)
    if level is not None and level not in {lv.value for lv in EvidenceLevel}:
        raise fail(f"--level {level!r} is not one of: {', '.join(lv.value for lv in EvidenceLevel)}")
    table = Table(title=_("Evidence registry", lang))
    for col in ("key", _("Level", lang), _("Source", lang)):
        table.add_column(col)
    for c in registry().values():
        if level is not None and c.level.value != level:
            continue
        ref = (
            f"{c.authors} ({c.year or 'n.d.'}). {c.title}. {c.venue}."
            + (f" doi:{c.doi}" if c.doi else "")
            + (f" {c.url}" if c.url else "")
        )
        table.add_row(c.key, c.level.label(lang), ref)
    console.print(table)


__all__ = ["DEMO_PLANS", "DEMO_PROFILES", "model_app"]
