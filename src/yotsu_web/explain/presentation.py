"""The explanation in the page's language, as plain rows for the templates (no logic in templates)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yotsu.evidence import EvidenceLevel
from yotsu.model import parameter_table
from yotsu.pathway.explain import PERSONAL_PLAN, Band
from yotsu.pathway.profile import POPULATION_PRIOR, profile_mapping
from yotsu_web.diary.models import SESSION_KIND_LABELS
from yotsu_web.explain.service import PersonalExplanation

#: The body-map tests by name, for the "what the model used" table (never the raw ids).
BODY_MAP_TESTS = {
    "left_right": gettext_lazy("left/right task"),
    "two_point": gettext_lazy("two-point test"),
    "repositioning": gettext_lazy("repositioning test"),
}


def band(b: Band) -> str:
    return f"{b.mean:.1f} ({b.low:.1f}–{b.high:.1f})"


def source_name(source: str, lang: str) -> str:
    if source == POPULATION_PRIOR:
        return _("population prior (an average person)")
    spec = profile_mapping().inputs.get(source)
    return spec.name(lang) if spec is not None else source


@dataclass(frozen=True)
class Item:
    """A danger or a safety."""

    title: str
    text: str
    relief: str  # pain that would fall if resolved: mean (10th-90th percentile)
    level: EvidenceLevel
    sources: list[str]
    uses_prior: bool
    released_by: list[str]


@dataclass(frozen=True)
class InputRow:
    name: str
    value: str | None  # None: not available, the population prior stands in
    note: str


@dataclass(frozen=True)
class CourseRow:
    title: str
    personal: bool
    start: str
    end: str


@dataclass(frozen=True)
class ParameterRow:
    name: str
    value: str
    sources: str
    level: EvidenceLevel
    uses_prior: bool


@dataclass(frozen=True)
class SharpenRow:
    """An unanswered questionnaire the patient can answer that would narrow the explanation most."""

    instrument: str
    title: str
    percent: int  # expected narrowing of the explanation's range, in percent


@dataclass(frozen=True)
class Page:
    baseline: str
    dangers: list[Item]
    safeties: list[Item]
    inputs: list[InputRow]
    courses: list[CourseRow]
    parameters: list[ParameterRow]
    prior_count: int
    disclaimer: str
    n: int
    has_plan: bool
    sharpen: list[SharpenRow]


def _inputs(personal: PersonalExplanation, lang: str) -> list[InputRow]:
    given = personal.profile.inputs
    rows = []
    for key, spec in profile_mapping().inputs.items():
        if key in given:
            value = f"{given[key].value:.2f}" if key == "body_map.precision" else f"{given[key].value:g}"
            if key == "sleep_quality" and personal.inputs.sleep_from_diary:
                note = _("median of your recent diary")
            elif key == "body_map.precision":
                note = ", ".join(str(BODY_MAP_TESTS.get(t, t)) for t in personal.inputs.body_map_tests)
            else:
                inst_id = key.partition(".")[0]
                when = personal.inputs.completed.get(inst_id)
                note = when.date().isoformat() if when else _("your answer")
        else:
            value, note = None, _("not available yet: the model uses the population prior (an average person)")
        rows.append(InputRow(name=spec.name(lang), value=value, note=note))
    return rows


def page(personal: PersonalExplanation, lang: str, answerable: Collection[str] | None = None) -> Page:
    """The page rows; ``answerable``: the questionnaire ids the patient can answer here (all when None)."""
    e = personal.explanation
    dangers = [
        Item(
            title=f.title(lang), text=f.text(lang), relief=band(f.pain_reduction_nrs), level=f.evidence.level,
            sources=[source_name(s, lang) for s in f.profile_sources],
            uses_prior=POPULATION_PRIOR in f.profile_sources, released_by=[],
        )
        for f in e.dangers
    ]  # fmt: skip
    by_factor = {f.factor: f for f in e.ranking}
    safeties = [
        Item(
            title=s.title(lang), text=s.text(lang), relief=band(s.pain_reduction_nrs), level=s.evidence.level,
            sources=[source_name(x, lang) for x in by_factor[s.factor].profile_sources],
            uses_prior=POPULATION_PRIOR in by_factor[s.factor].profile_sources,
            released_by=[str(SESSION_KIND_LABELS.get(k, k.value)) for k in s.released_by],
        )
        for s in e.safeties
    ]  # fmt: skip
    courses = [
        CourseRow(
            title=c.title(lang), personal=c.plan == PERSONAL_PLAN,
            start=f"{c.median[0]:.1f} ({c.low[0]:.1f}–{c.high[0]:.1f})",
            end=f"{c.median[-1]:.1f} ({c.low[-1]:.1f}–{c.high[-1]:.1f})",
        )
        for c in e.courses
    ]  # fmt: skip
    table = parameter_table()
    parameters = [
        ParameterRow(
            name=p.name, value=f"{p.value:.3g} ± {p.sd:.2g} {table[p.name].unit}".strip(),
            sources=", ".join(source_name(s, lang) for s in p.sources), level=p.level(),
            uses_prior=p.from_population_prior,
        )
        for p in personal.profile.parameters.values()
    ]  # fmt: skip
    return Page(
        baseline=band(e.baseline_pain_nrs),
        dangers=dangers,
        safeties=safeties,
        inputs=_inputs(personal, lang),
        courses=courses,
        parameters=parameters,
        prior_count=len(personal.profile.population_prior()),
        disclaimer=e.disclaimer(lang),
        n=e.n,
        has_plan=personal.plan is not None,
        sharpen=[
            SharpenRow(instrument=s.instrument, title=s.title(lang), percent=max(1, round(100 * s.shrink)))
            for s in e.sharpest(answerable)
        ],
    )
