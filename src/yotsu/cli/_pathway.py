"""``yotsu assess`` (the whole care pathway, interactive or from an answers file) and ``yotsu track``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from yotsu.cli._common import LangOption, console, err_console, fail, lang_of
from yotsu.i18n import LocalText
from yotsu.i18n import gettext as _
from yotsu.model import ParameterError, PlanError
from yotsu.pathway import PathwayError, triage_rules
from yotsu.pathway.assess import Answers, Assessment, assess, load_answers, save_answers
from yotsu.pathway.bodymap import LeftRightTrunkJudgement, RepositioningError, TwoPointDiscrimination
from yotsu.pathway.diary import load_diary_csv
from yotsu.pathway.instruments import ItemTexts, ItemTextUnavailableError, instrument, item_text, load_item_texts
from yotsu.pathway.instruments.texts import option_label
from yotsu.pathway.report import write_report
from yotsu.pathway.tracking import tracking_report
from yotsu.pathway.triage import Route, triage, triage_flags

pathway_app = typer.Typer(add_completion=False)

#: Instruments asked interactively, in order; STarT Back cannot be skipped (it stratifies the plan).
ASKED_INSTRUMENTS = ("nrs_pain", "start_back", "csi_a", "tsk11", "pcs", "phq4", "pseq2", "peg3", "rmdq")
REQUIRED_INSTRUMENTS = frozenset({"start_back"})


class SessionInterrupted(Exception):
    """Input ended before the session was complete (answers so far are saved)."""


class InteractiveSession:
    """Asks the pathway's questions one at a time, saving the answers file after every answer."""

    def __init__(self, answers: Answers, path: Path, lang: str, out: Console, texts: dict[str, ItemTexts]) -> None:
        self.a, self.path, self.lang, self.out, self.texts = answers, path, lang, out, texts
        self.a.lang = lang  # type: ignore[assignment]

    # -- asking ---------------------------------------------------------------------------------
    def _ask(self, allowed: list[str], allow_skip: bool = False) -> str | None:
        hint = "/".join(allowed) if len(allowed) <= 12 else f"{allowed[0]}–{allowed[-1]}"
        if allow_skip:
            hint += " " + _("(Enter to skip)", self.lang)
        while True:
            try:
                raw = self.out.input(f"[bold]> [/][dim]{hint}[/] ").strip()
            except EOFError:
                raise SessionInterrupted from None
            if not raw and allow_skip:
                return None
            if raw in allowed:
                return raw
            self.out.print(_("Please answer one of: {allowed}", self.lang, allowed=", ".join(allowed)))

    def _yes_no(self, question: str) -> bool:
        self.out.print(f"\n{question}")
        self.out.print(f"  1) {_('Yes', self.lang)}   2) {_('No', self.lang)}")
        return self._ask(["1", "2"]) == "1"

    def _number(self, question: str, lo: int, hi: int, allow_skip: bool = False) -> int | None:
        self.out.print(f"\n{question}")
        raw = self._ask([str(v) for v in range(lo, hi + 1)], allow_skip)
        return None if raw is None else int(raw)

    def _save(self) -> None:
        save_answers(self.a, self.path)

    # -- steps ----------------------------------------------------------------------------------
    def run(self) -> None:
        rules = triage_rules()
        self.out.print(f"[bold]{_('Safety questions first', self.lang)}[/]")
        if "age_years" not in self.a.triage:
            self.a.triage["age_years"] = self._number(rules.age.question(self.lang), 0, rules.age.max_years)
            self._save()
        if "pain_duration_weeks" not in self.a.triage:
            q_weeks = rules.scope.questions.pain_duration_weeks(self.lang)
            self.a.triage["pain_duration_weeks"] = self._number(q_weeks, 0, 520)
            self._save()
        for qid, text in rules.flag_questions():
            if qid not in self.a.triage:
                self.a.triage[qid] = self._yes_no(text(self.lang))
                self._save()
        if triage_flags(self.a.triage) is not None:
            return self._finish()
        q = rules.scope.questions
        if "examined_by_doctor" not in self.a.triage:
            self.a.triage["examined_by_doctor"] = self._yes_no(q.examined_by_doctor(self.lang))
            self._save()
        if self.a.triage["examined_by_doctor"] and "doctor_found_serious_cause" not in self.a.triage:
            self.a.triage["doctor_found_serious_cause"] = self._yes_no(q.doctor_found_serious_cause(self.lang))
            self._save()
        if triage(self.a.triage).route is Route.OUT_OF_SCOPE:
            return self._finish()
        for inst_id in ASKED_INSTRUMENTS:
            self._instrument(inst_id)
        self._questions()
        self._body_map()
        if "plan.massage" not in self.a.done:
            pressure = self._number(
                _(
                    "Would you like gentle massage as a comfortable extra? 0 = no; 1-4 = the "
                    "pressure you find comfortable (0-10 scale).",
                    self.lang,
                ),
                0,
                4,
            )
            self.a.plan.massage_pressure = float(pressure) if pressure else None
            self.a.done.append("plan.massage")
            self._save()
        self._finish()

    def _finish(self) -> None:
        self.a.finished = True
        self._save()

    def _instrument(self, inst_id: str) -> None:
        if inst_id in self.a.skipped:
            return
        inst = instrument(inst_id)
        if inst_id not in self.a.instruments:
            self.out.print(f"\n[bold]{inst.name(self.lang)}[/]")
            if inst_id not in REQUIRED_INSTRUMENTS and not self._yes_no(_("Answer this questionnaire now?", self.lang)):
                self.a.skipped.append(inst_id)
                self._save()
                return
            self.a.instruments[inst_id] = {}
        answers = self.a.instruments[inst_id]
        for item in inst.items:
            if item.id in answers:
                continue
            try:
                text = item_text(inst, item.id, self.lang, self.texts.get(inst_id))
            except ItemTextUnavailableError:
                text = _(
                    "{instrument}, item {item}: read this item on your clinic's licensed form (Yotsu may "
                    "not ship its text).",
                    self.lang,
                    instrument=inst.short_name,
                    item=item.id,
                )
            self.out.print(f"\n{inst.short_name} {item.id}. {text}")
            values = inst.allowed_answers(item.id)
            labels = [
                f"{v}) {option_label(inst, item.response_set, v, self.lang, self.texts.get(inst_id))}" for v in values
            ]
            self.out.print("  " + "   ".join(labels), highlight=False)
            raw = self._ask([str(v) for v in values])
            answers[item.id] = int(raw) if raw is not None else None
            self._save()

    def _questions(self) -> None:
        if "questions.sleep_quality" not in self.a.done:
            self.a.questions.sleep_quality = self._number(
                _("How well have you slept over the last week? 0 = very poorly, 10 = very well.", self.lang),
                0,
                10,
                allow_skip=True,
            )
            self.a.done.append("questions.sleep_quality")
            self._save()
        if "questions.life_pressure" not in self.a.done:
            self.a.questions.life_pressure = self._number(
                _(
                    "How much pressure do you feel at work, school or home, so that you cannot rest? 0 = none, "
                    "10 = I cannot rest at all.",
                    self.lang,
                ),
                0,
                10,
                allow_skip=True,
            )
            self.a.done.append("questions.life_pressure")
            self._save()

    def _body_map(self) -> None:
        if "body_map" in self.a.done:
            return
        if self._yes_no(
            _(
                "Do you have body-map test results from your clinic (left/right judgement, two-point "
                "discrimination or repositioning)?",
                self.lang,
            )
        ):
            acc = self._number(_("Left/right judgement: percent correct (Enter to skip).", self.lang), 0, 100, True)
            if acc is not None:
                trials = self._number(_("Number of images judged.", self.lang), 10, 500) or 10
                rt = self._number(_("Median response time in milliseconds.", self.lang), 100, 20000) or 100
                self.a.body_map.left_right = LeftRightTrunkJudgement(
                    accuracy=acc / 100, n_trials=trials, median_rt_ms=rt
                )
            tpd = self._number(
                _("Two-point discrimination threshold on the low back, in mm (Enter to skip).", self.lang), 1, 200, True
            )
            if tpd is not None:
                self.a.body_map.two_point = TwoPointDiscrimination(tpd_mm=tpd)
            rep = self._number(_("Repositioning error in degrees (Enter to skip).", self.lang), 1, 45, True)
            if rep is not None:
                self.a.body_map.repositioning = RepositioningError(error_deg=rep)
        self.a.done.append("body_map")
        self._save()


def _print_assessment(a: Assessment, lang: str) -> None:
    console.print(f"[bold]{_('Route', lang)}: {a.route.value}[/] — {a.message(lang)}")
    for r in a.reasons:
        console.print(f"  • {r.text(lang)}")
    if a.ended:
        return
    table = Table(title=_("Scores and categories", lang))
    for col in (_("Questionnaire", lang), _("Score", lang), _("Category", lang)):
        table.add_column(col)
    for inst_id, res in a.scores.items():
        category = res.classification or res.total.category
        table.add_row(instrument(inst_id).short_name, f"{res.total.value:g}", category.label(lang) if category else "—")
    console.print(table)
    assert a.explanation is not None and a.plan is not None
    console.print(f"[bold]{_('What presses your brake (dangers)', lang)}[/]")
    for f in a.explanation.dangers:
        band = f.pain_reduction_nrs
        console.print(f"  {f.rank}. {f.title(lang)}: −{band.mean:.1f} ({band.low:.1f}–{band.high:.1f}) "
                      f"[{f.evidence.level.label(lang)}]", highlight=False)  # fmt: skip
    console.print(f"[bold]{_('Your plan', lang)}[/]: {a.plan.summary(lang)}")


@pathway_app.command("assess")
def assess_cmd(
    answers: Annotated[Path | None, typer.Option("--answers", help="Answers file (YAML); no questions asked.")] = None,
    resume: Annotated[
        Path | None, typer.Option("--resume", help="Continue an interactive session saved in this file.")
    ] = None,
    save: Annotated[
        Path, typer.Option("--save", help="Where an interactive session saves its answers as it goes.")
    ] = Path("yotsu-answers.yaml"),
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the report (HTML, Markdown, figures).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")] = False,
    item_texts: Annotated[
        list[Path] | None, typer.Option("--item-texts", help="A clinic's licensed item text file (repeatable).")
    ] = None,
    n: Annotated[int, typer.Option(min=10, max=5000, help="Persons drawn from the profile (uncertainty).")] = 200,
    seed: Annotated[int, typer.Option(min=0, help="Seed of every random draw.")] = 0,
    days: Annotated[int, typer.Option(min=28, max=730, help="Days of the simulated course.")] = 182,
    lang: LangOption = "en",
) -> None:
    """Run the care pathway: triage, questionnaires, profile, explanation and plan; write a report."""
    lang = lang_of(lang)
    if answers is not None and resume is not None:
        raise fail(_("Give either --answers or --resume, not both.", lang))
    try:
        texts = {t.instrument: t for t in (load_item_texts(p) for p in item_texts or [])}
        if answers is not None:
            given = load_answers(answers)
        else:
            path = resume if resume is not None else save
            if resume is None and path.exists():
                raise fail(_("{path} exists: continue it with --resume {path}, or choose another --save.", lang,
                             path=str(path)))  # fmt: skip
            given = load_answers(path) if resume is not None else Answers()
            if not given.finished:
                session = InteractiveSession(given, path, lang, err_console if as_json else console, texts)
                try:
                    session.run()
                except SessionInterrupted:
                    err_console.print(_("Input ended. Your answers are saved; continue with: yotsu assess "
                                        "--resume {path}", lang, path=str(path)))  # fmt: skip
                    raise typer.Exit(1) from None
        result = assess(given, n=n, seed=seed, days=days)
    except PathwayError as exc:
        raise fail(exc.localized(lang)) from None
    except (ParameterError, PlanError) as exc:
        raise fail(str(exc)) from None
    paths = write_report(result, out, lang) if out is not None else None
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    _print_assessment(result, lang)
    if paths is not None:
        console.print(
            _("Report: {html} and {markdown}", lang, html=str(paths["html"]), markdown=str(paths["markdown"]))
        )
    console.print(_("Model estimate, not a diagnosis.", lang))


def _text(t: LocalText) -> dict[str, str]:
    return {"en": t.en, "ja": t.ja}


@pathway_app.command("track")
def track_cmd(
    diary: Annotated[Path, typer.Argument(help="Diary CSV (columns: see docs/pathway.md).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")] = False,
    window_days: Annotated[int, typer.Option(min=1, max=90, help="Days in the first and last windows.")] = 7,
    lang: LangOption = "en",
) -> None:
    """Outcomes against MCIDs, the escalation detector and red flags reported in a diary."""
    lang = lang_of(lang)
    try:
        record = load_diary_csv(diary)
    except PathwayError as exc:
        raise fail(exc.localized(lang)) from None
    except OSError as exc:
        raise fail(str(exc)) from None
    try:
        report = tracking_report(record, window_days=window_days)
    except PathwayError as exc:
        raise fail(exc.localized(lang)) from None
    pain, flags = report.pain, report.red_flags
    result: dict[str, Any] = {
        "outcomes": {"nrs_pain": None if pain is None else pain.model_dump(mode="json")},
        "mcid_reached": {"nrs_pain": None if pain is None else pain.important_improvement},
        "alerts": [
            {"kind": a.kind.value, **({"route": a.route} if a.route else {}), "message": _text(a.message)}
            for a in report.alerts
        ],
        "escalation": report.escalation.model_dump(mode="json"),
        "red_flags": None if flags is None else {
            "route": flags.route.value, "reasons": [r.code for r in flags.reasons], "message": _text(flags.message)
        },
    }  # fmt: skip
    if report.pain_note is not None:
        result["outcome_note"] = _text(report.pain_note)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    if result["outcomes"]["nrs_pain"] is not None:
        o = result["outcomes"]["nrs_pain"]
        reached = _("yes", lang) if o["important_improvement"] else _("no", lang)
        console.print(_("Pain: {baseline} → {current} (improvement {improvement}); MCID reached: {reached}", lang,
                        baseline=f"{o['baseline']:.1f}", current=f"{o['current']:.1f}",
                        improvement=f"{o['improvement']:.1f}", reached=reached))  # fmt: skip
    else:
        console.print(result["outcome_note"][lang])
    if not result["alerts"]:
        console.print(_("No alerts.", lang))
    for alert in result["alerts"]:
        console.print(f"[bold red]{_('Alert', lang)} ({alert['kind']}):[/] {alert['message'][lang]}")


__all__ = ["InteractiveSession", "pathway_app"]
