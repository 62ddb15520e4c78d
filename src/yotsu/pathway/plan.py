"""The plan builder: WHO 2023-aligned care stratified by STarT Back risk group (``data/plans.yaml``).

A plan lists its components (what, why, evidence), the exercises at their starting level, what WHO
advises against, and the sessions as ``(kind, day, dose)`` in the model's session kinds. ``dose`` is
the perceived pressure 0-10 for ``massage`` and 1.0 (one standard session) for every other kind.
Massage is only ever a comfortable adjunct: a pressure above the comfortable maximum is refused
(article 3-3, clinical_impression).
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yotsu.i18n import LocalText
from yotsu.pathway._common import Evidence, Identifier, PathwayError, load_model, package_data
from yotsu.pathway.diary import SessionKind
from yotsu.pathway.exercises import Exercise, exercise_library
from yotsu.pathway.instruments import InstrumentResult

_WEEK_PATTERNS = {1: (0,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4), 6: tuple(range(6))}


class RiskGroup(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class PlanError(PathwayError, ValueError):
    """A plan request that Yotsu will not build, with the reason."""

    template = "plan: {detail}"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Schedule(_Frozen):
    days: tuple[int, ...] | None = None
    days_per_week: int | None = Field(default=None, ge=1, le=7)
    from_week: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _one_way(self) -> Schedule:
        if (self.days is None) == (self.days_per_week is None):
            raise ValueError("give either days or days_per_week")
        return self

    def session_days(self, weeks: int) -> list[int]:
        if self.days is not None:
            return [d for d in self.days if d < 7 * weeks]
        pattern = _WEEK_PATTERNS.get(self.days_per_week or 7, tuple(range(7)))
        return [7 * w + d for w in range(self.from_week, weeks) for d in pattern]


class ComponentSpec(_Frozen):
    kind: SessionKind
    schedule: Schedule
    description: LocalText
    evidence: Evidence
    # Sessions' worth per occurrence in the model: a short home drill counts for less than a
    # supervised session (a clinical impression, like every dose here).
    dose: float = Field(default=1.0, gt=0, le=3)
    exercises: tuple[Identifier, ...] = ()


class GroupSpec(_Frozen):
    summary: LocalText
    evidence: Evidence
    components: tuple[ComponentSpec, ...] = Field(min_length=1)


class AdvisedAgainst(_Frozen):
    id: Identifier
    name: LocalText
    evidence: Evidence


class PlanTemplates(_Frozen):
    comfortable_massage_max_pressure: float = Field(ge=0, le=10)
    massage: ComponentSpec
    sleep_care: ComponentSpec
    advised_against: tuple[AdvisedAgainst, ...] = Field(min_length=1)
    risk_groups: dict[RiskGroup, GroupSpec]

    @model_validator(mode="after")
    def _complete(self) -> PlanTemplates:
        if set(self.risk_groups) != set(RiskGroup):
            raise ValueError("a template is needed for each of low, medium and high")
        library = exercise_library()
        for group in self.risk_groups.values():
            for comp in group.components:
                for ex_id in comp.exercises:
                    if library.get(ex_id).session_kind is not comp.kind:
                        raise ValueError(f"exercise {ex_id} is not a {comp.kind} exercise")
        return self


@cache
def plan_templates() -> PlanTemplates:
    """The shipped plan templates, validated on load (exercise ids must exist in the library)."""
    return load_model(package_data("yotsu.pathway", "plans.yaml"), PlanTemplates)


class PlannedSession(_Frozen):
    kind: SessionKind
    day: int = Field(ge=0)
    dose: float = Field(ge=0, le=10)


class PlannedExercise(_Frozen):
    exercise: Exercise
    level: int = 1


class CarePlan(_Frozen):
    """A person's plan: what and why, the exercises, what to avoid, and the session schedule."""

    risk_group: RiskGroup
    weeks: int
    summary: LocalText
    evidence: Evidence
    components: tuple[ComponentSpec, ...]
    exercises: tuple[PlannedExercise, ...]
    advised_against: tuple[AdvisedAgainst, ...]
    sessions: tuple[PlannedSession, ...]

    def as_schedule(self) -> list[tuple[str, int, float]]:
        """The sessions as plain ``(kind, day, dose)`` tuples for the model."""
        return [(s.kind.value, s.day, s.dose) for s in self.sessions]


def risk_group_of(start_back: InstrumentResult) -> RiskGroup:
    """The STarT Back risk group of a scored STarT Back result."""
    if start_back.instrument != "start_back" or start_back.classification is None:
        raise PlanError(detail=f"a scored STarT Back result is needed, not {start_back.instrument!r}")
    return RiskGroup(start_back.classification.id)


def build_plan(
    risk_group: RiskGroup | str,
    weeks: int = 12,
    sleep_problem: bool = False,
    massage_pressure: float | None = None,
) -> CarePlan:
    """Build the plan for ``risk_group`` over ``weeks``; optionally sleep care and comfortable massage.

    >>> build_plan("low", weeks=1).as_schedule()[:2]
    [('education', 0, 1.0), ('graded_exercise', 0, 1.0)]
    """
    if not 1 <= weeks <= 52:
        raise PlanError(detail=f"weeks must be between 1 and 52, not {weeks}")
    try:
        group = RiskGroup(risk_group)
    except ValueError:
        raise PlanError(detail=f"risk group {risk_group!r} is not one of low, medium, high") from None
    templates = plan_templates()
    spec = templates.risk_groups[group]
    components = list(spec.components)
    if sleep_problem:
        components.append(templates.sleep_care)
    cap = templates.comfortable_massage_max_pressure
    if massage_pressure is not None:
        if not 0 <= massage_pressure <= cap:
            raise PlanError(
                detail=f"massage pressure {massage_pressure:g}/10 is above the comfortable maximum "
                f"{cap:g}/10; strong pressure can be read as a threat (clinical impression), "
                "so Yotsu plans massage only as a comfortable adjunct"
            )
        components.append(templates.massage)
    sessions = [
        PlannedSession(
            kind=c.kind,
            day=day,
            dose=massage_pressure if c.kind is SessionKind.MASSAGE and massage_pressure is not None else c.dose,
        )
        for c in components
        for day in c.schedule.session_days(weeks)
    ]
    sessions.sort(key=lambda s: (s.day, list(SessionKind).index(s.kind)))
    library = exercise_library()
    exercise_ids = dict.fromkeys(e for c in components for e in c.exercises)
    return CarePlan(
        risk_group=group,
        weeks=weeks,
        summary=spec.summary,
        evidence=spec.evidence,
        components=tuple(components),
        exercises=tuple(PlannedExercise(exercise=library.get(e)) for e in exercise_ids),
        advised_against=templates.advised_against,
        sessions=tuple(sessions),
    )


class PlanBasis(StrEnum):
    """What a plan built from what is known rests on, best first."""

    START_BACK = "start_back"
    PRACTITIONER = "practitioner"
    DEFAULT = "default"


#: The risk group of the starting plan when neither STarT Back nor the practitioner has decided one:
#: the low-risk plan (advice, education, graded activity) is what WHO 2023 recommends for everyone
#: and adds nothing a higher group would advise against (who2023; hill2011).
DEFAULT_RISK_GROUP = RiskGroup.LOW


class KnownPlan(_Frozen):
    """A plan and what it rests on; ``label`` says so in words the patient reads."""

    plan: CarePlan
    basis: PlanBasis
    label: LocalText


_BASIS_LABELS = {
    PlanBasis.START_BACK: LocalText(
        en="Chosen from your STarT Back answers.", ja="STarT Back の回答をもとに選んだプランです。"
    ),
    PlanBasis.PRACTITIONER: LocalText(en="Chosen by your practitioner.", ja="担当の施術者が選んだプランです。"),
    PlanBasis.DEFAULT: LocalText(
        en="A starting plan for everyone: it becomes personal once you answer the STarT Back questionnaire "
        "or your practitioner chooses your group.",
        ja="どなたにも共通の、最初のプランです。STarT Back 質問票に答えるか、担当の施術者がグループを選ぶと、"
        "あなたに合わせたプランになります。",
    ),
}


def plan_from_known(
    start_back: InstrumentResult | None = None,
    chosen_risk_group: RiskGroup | str | None = None,
    weeks: int = 12,
) -> KnownPlan:
    """The plan from what is known: STarT Back if answered, else the practitioner's chosen risk group,
    else the clearly labelled default (:data:`DEFAULT_RISK_GROUP`). Never a dead end.

    >>> plan_from_known().basis.value, plan_from_known().plan.risk_group.value
    ('default', 'low')
    >>> plan_from_known(chosen_risk_group="high").basis.value
    'practitioner'
    """
    if start_back is not None:
        group, basis = risk_group_of(start_back), PlanBasis.START_BACK
    elif chosen_risk_group is not None:
        group, basis = RiskGroup(chosen_risk_group), PlanBasis.PRACTITIONER
    else:
        group, basis = DEFAULT_RISK_GROUP, PlanBasis.DEFAULT
    return KnownPlan(plan=build_plan(group, weeks=weeks), basis=basis, label=_BASIS_LABELS[basis])
