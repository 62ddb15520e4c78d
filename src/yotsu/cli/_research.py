"""``yotsu trial``, ``yotsu calibrate`` and ``yotsu cohorts``: the model as a research instrument."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from yotsu._strict import load_yaml
from yotsu.cli._common import LangOption, console, err_console, fail, lang_of
from yotsu.i18n import gettext as _
from yotsu.model.cohorts import CohortError, named_cohorts
from yotsu.model.parameters import ParameterError
from yotsu.model.plans import PlanError
from yotsu.model.trials import BINARY, DEFAULT_CHUNK, TrialError, get_trial, run_trial

research_app = typer.Typer(add_completion=False)


def _fmt(x: Any, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{x:.{digits}f}"


def _ci(ci: Any, digits: int = 2) -> str:
    return "—" if not ci else f"[{_fmt(ci[0], digits)}, {_fmt(ci[1], digits)}]"


def _progress(show: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
        console=err_console, disable=not show,
    )  # fmt: skip


@research_app.command("trial")
def trial_cmd(
    spec: Annotated[str, typer.Argument(help="A shipped trial name or a trial spec YAML file.")],
    n: Annotated[
        int | None, typer.Option(min=2, max=10_000_000, help="Persons screened (each runs in every arm).")
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Seed of every draw (default: the spec's).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write a figure of arm trajectories (PNG, SVG or PDF).")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Run on a local Dask cluster of this many workers.")
    ] = None,
    dask: Annotated[
        str | None, typer.Option(help="Run on the Dask scheduler at this address (tcp://host:8786).")
    ] = None,
    chunk_size: Annotated[
        int, typer.Option(min=1, max=1_000_000, help="Persons per chunk (memory is bounded by a chunk).")
    ] = DEFAULT_CHUNK,
    bootstrap: Annotated[
        int, typer.Option(min=0, max=100_000, help="Bootstrap replicates for the CI of Hedges' g.")
    ] = 200,
    lang: LangOption = "en",
) -> None:
    """Run an in-silico randomised trial: every arm on the same virtual persons."""
    lang = lang_of(lang)
    if workers is not None and dask is not None:
        raise fail(_("give --workers or --dask, not both", lang))
    try:
        the_spec = get_trial(spec)
        total = n or the_spec.n
        with _progress(not as_json) as bar:
            task = bar.add_task(_("Persons simulated", lang), total=total)

            def advance(done: int, _all: int) -> None:
                bar.update(task, completed=done)

            kwargs: dict[str, Any] = dict(n=n, seed=seed, bootstrap=bootstrap, chunk_size=chunk_size, progress=advance)
            if workers is not None or dask is not None:
                from yotsu.model._dask import ClusterError, dask_client, dask_runner

                try:
                    with dask_client(dask, workers or 2) as client:
                        result = run_trial(the_spec, runner=dask_runner(client), **kwargs)
                except ClusterError as exc:
                    raise fail(str(exc)) from None
            else:
                result = run_trial(the_spec, **kwargs)
    except (TrialError, CohortError, PlanError, ParameterError) as exc:
        raise fail(str(exc)) from None
    if out is not None:
        from yotsu.model.research_figures import trial_figure

        out.parent.mkdir(parents=True, exist_ok=True)
        trial_figure(result, lang=lang).savefig(out, dpi=110)
    if as_json:
        typer.echo(json.dumps(result.to_json()))
        return
    console.print(
        _("{title}: {included} of {screened} screened persons included; {n} per arm", lang,
          title=the_spec.title(lang), included=result.included, screened=result.screened, n=result.included)
    )  # fmt: skip
    for outcome in the_spec.outcomes:
        table = Table(title=f"{outcome} — " + _("reference arm: {arm}", lang, arm=the_spec.reference))
        for col in (_("Week", lang), _("Arm", lang), _("Mean", lang), "SD", "MD", "MD 95% CI", "g",
                    _("g 95% CI (analytic)", lang), _("g 95% CI (bootstrap)", lang)):  # fmt: skip
            table.add_column(col, justify="right")
        if outcome in BINARY:
            table.add_column("RR", justify="right")
        for row in result.rows:
            if row["outcome"] != outcome:
                continue
            cells = [str(row["week"]), row["arm"], _fmt(row["mean"]), _fmt(row["sd"]), _fmt(row.get("md")),
                     _ci(row.get("md_ci")), _fmt(row.get("smd")), _ci(row.get("smd_ci")),
                     _ci(row.get("smd_ci_bootstrap"))]  # fmt: skip
            if outcome in BINARY:
                cells.append(f"{_fmt(row.get('rr'))} {_ci(row.get('rr_ci'))}" if "rr" in row else "—")
            table.add_row(*cells)
        console.print(table)
    console.print(_("Model output, not a diagnosis.", lang))
    if out is not None:
        console.print(_("Figure written to {path}", lang, path=str(out)))


@research_app.command("cohorts")
def cohorts_cmd(lang: LangOption = "en") -> None:
    """List the virtual cohorts: their distributions, correlations, subgroups and sources."""
    lang = lang_of(lang)
    table = Table(title=_("Virtual cohorts", lang))
    for col in ("name", _("Title", lang), _("Distributions", lang), _("Subgroups", lang), _("Evidence", lang)):
        table.add_column(col)
    for c in named_cohorts().values():
        dists = "\n".join(
            f"{k}: {d.dist}("
            + ", ".join(f"{f}={v:g}" for f, v in d.model_dump(exclude_none=True).items() if f != "dist")
            + ")"
            for k, d in c.parameters.items()
        )
        groups = "\n".join(f"{g.name} ({g.share:.0%}): {', '.join(g.parameters)}" for g in c.subgroups) or "—"
        table.add_row(c.name, c.title(lang) + "\n" + c.description(lang), dists, groups, ", ".join(c.evidence))
    console.print(table)


@research_app.command("calibrate")
def calibrate_cmd(
    maxiter: Annotated[int, typer.Option(min=0, help="Generations of differential evolution.")] = 8,
    popsize: Annotated[int, typer.Option(min=1, help="Population size per parameter.")] = 4,
    n: Annotated[int | None, typer.Option(min=10, max=1_000_000, help="Persons per trial in each evaluation.")] = None,
    report_n: Annotated[
        int | None, typer.Option(min=10, max=1_000_000, help="Persons per trial in the final report.")
    ] = None,
    folder: Annotated[
        Path | None, typer.Option("--dir", help="Write v<N>.yaml here (default: the package data).")
    ] = None,
    report_only: Annotated[
        bool, typer.Option("--report-only", help="Show the shipped calibration; fit nothing.")
    ] = False,
    out: Annotated[Path | None, typer.Option(help="Write the forest plot (PNG, SVG or PDF).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    lang: LangOption = "en",
) -> None:
    """Fit population-level parameters to every published target at once, and report the fit."""
    from yotsu.model import calibration as cal

    lang = lang_of(lang)
    if report_only:
        doc = cal.shipped_report()
        if not doc:
            raise fail(_("no calibration ships yet; run `yotsu calibrate`", lang))
        path_text = f"v{doc['version']}"
    else:
        with _progress(not as_json) as bar:
            task = bar.add_task(_("Evaluations", lang), total=None)

            def advance(k: int, value: float) -> None:
                bar.update(task, completed=k, description=_("Evaluations (loss {loss})", lang, loss=f"{value:.1f}"))

            fit = cal.calibrate(maxiter=maxiter, popsize=popsize, n=n, progress=advance)
        reports = cal.report(fit.parameters, n=report_n)
        path = cal.write_calibration(fit, reports, folder)
        doc = load_yaml(path)
        path_text = str(path)
    if out is not None:
        from yotsu.model.research_figures import forest_figure

        out.parent.mkdir(parents=True, exist_ok=True)
        forest_figure(doc["report"], lang=lang).savefig(out, dpi=110)
    if as_json:
        typer.echo(json.dumps(doc))
        return
    table = Table(title=_("Calibration {version}: published targets and the model", lang, version=path_text))
    for col in ("id", _("Quantity", lang), _("Published (95% CI)", lang), _("Model (95% CI)", lang), _("Status", lang)):
        table.add_column(col)
    for r in doc["report"]:
        if r["status"] == "missed":
            table.add_row(r["id"], "—", "—", "—", _("missed", lang) + ": " + str(r["reason"]))
            continue
        for k, c in enumerate(r["components"]):
            status = _("inside", lang) if c["inside"] else _("outside", lang)
            table.add_row(
                r["id"] if k == 0 else "", c["label"], f"{_fmt(c['published'])} {_ci(c['published_ci'])}",
                f"{_fmt(c['model'])} {_ci(c['model_ci'])}", status,
            )  # fmt: skip
    console.print(table)
    s = doc["summary"]
    console.print(
        _("{inside} of {total} targets inside their CI; {outside} outside; {missed} missed (no model output).", lang,
          inside=s["inside"], total=s["targets"], outside=s["outside"], missed=s["missed"])
    )  # fmt: skip
    console.print(
        _("Fitted parameters: {values}", lang, values=", ".join(f"{k} = {v:g}" for k, v in doc["parameters"].items()))
    )


__all__ = ["research_app"]
