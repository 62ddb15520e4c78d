"""Triage: red flags for serious spinal pathology first, then the article's scope check.

A red flag can never be outweighed (ARCHITECTURE.md section 3): if any flag is raised, the most urgent
one decides the route, whatever else was answered. Only when no flag is raised does the scope check
(pain for 12 weeks or more, examined by a doctor, nothing serious found; the article's section 1)
decide between ``in_scope`` and ``out_of_scope``. Flags and texts live in ``data/red_flags.yaml``
(finucane2020, nice_ng59, joa2019; fracture factors downie2013, henschke2009; inflammatory pattern by
rudwaleit2006, rudwaleit2009). Age is always asked: it is a factor of three flags (over 50 with new pain,
over 70 with minor trauma, onset before 45 for inflammatory pain).

Two entry points: :func:`triage` decides the route on every answer; :func:`triage_flags` decides on the
flag stage alone (age, duration and the flag questions), so a face can stop at a referral before asking
the scope questions.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yotsu.i18n import LocalText
from yotsu.pathway._common import Evidence, Identifier, PathwayError, load_model, package_data


class Urgency(StrEnum):
    """How soon a person with a raised flag must see a doctor; ordered most urgent first."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE_MEDICAL = "routine_medical"


class Route(StrEnum):
    """Where triage sends a person: exactly one of these."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE_MEDICAL = "routine_medical"
    OUT_OF_SCOPE = "out_of_scope"
    IN_SCOPE = "in_scope"


_URGENCY_ORDER = (Urgency.EMERGENCY, Urgency.URGENT, Urgency.ROUTINE_MEDICAL)
REFERRAL_ROUTES = frozenset({Route.EMERGENCY, Route.URGENT, Route.ROUTINE_MEDICAL})


class UnknownAnswerError(PathwayError, KeyError):
    """An answer key that is not a triage question."""

    template = "unknown triage answer {key!r}; the triage questions are: {allowed}"

    def __str__(self) -> str:
        return self.localized("en")


class InvalidAnswerError(PathwayError, ValueError):
    """An answer of the wrong kind for its question."""

    template = "triage answer {key!r} = {value!r} is not allowed; expected {allowed}"


class IncompleteTriageError(PathwayError, ValueError):
    """Questions left unanswered when no red flag is raised, so triage cannot conclude safely."""

    template = "triage cannot conclude: no red flag is raised but these questions are unanswered: {missing}"


class Feature(BaseModel):
    """One yes/no question feeding a composite flag (e.g. a feature of inflammatory back pain)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    question: LocalText


class FeatureRule(BaseModel):
    """A composite flag is raised when at least ``min_features`` of ``items`` are answered yes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_features: int = Field(ge=1)
    items: tuple[Feature, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _reachable(self) -> FeatureRule:
        if self.min_features > len(self.items):
            raise ValueError(f"min_features {self.min_features} exceeds the {len(self.items)} features")
        return self


#: Weeks in a year (365.2425 days / 7), to turn the pain's duration into an onset age.
WEEKS_PER_YEAR = 52.1775


class AgeQuestion(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    question: LocalText
    max_years: int = Field(gt=0)


class AgeFactor(BaseModel):
    """A fact derived from ``age_years`` (completed years) and ``pain_duration_weeks``; exactly one bound."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    min_age_years: float | None = Field(default=None, gt=0)
    max_duration_weeks: float | None = Field(default=None, gt=0)
    max_onset_age_years: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_bound(self) -> AgeFactor:
        bounds = (self.min_age_years, self.max_duration_weeks, self.max_onset_age_years)
        if sum(b is not None for b in bounds) != 1:
            raise ValueError(f"age factor {self.id!r} needs exactly one bound")
        return self

    def holds(self, answers: Mapping[str, Answer]) -> bool | None:
        """True or False, or ``None`` when the answer it needs is not given."""
        age, weeks = answers.get("age_years"), answers.get("pain_duration_weeks")
        if self.min_age_years is not None:
            return None if age is None else float(age) >= self.min_age_years
        if weeks is None:
            return None
        if self.max_duration_weeks is not None:
            return float(weeks) < self.max_duration_weeks
        assert self.max_onset_age_years is not None
        return None if age is None else float(age) - float(weeks) / WEEKS_PER_YEAR < self.max_onset_age_years


class RedFlag(BaseModel):
    """A red flag: the condition it signals, how urgent, how it is asked, what to tell the person.

    Asked as one yes/no ``question`` (answer key: the flag's id) or as ``features``; with ``requires``
    it is raised only when each named age factor holds too (with no question: by age and duration alone).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    condition: Identifier
    urgency: Urgency
    question: LocalText | None = None
    referral: LocalText
    evidence: Evidence
    features: FeatureRule | None = None
    requires: tuple[Identifier, ...] = ()

    @model_validator(mode="after")
    def _decidable(self) -> RedFlag:
        if self.question is None and self.features is None and not self.requires:
            raise ValueError(f"red flag {self.id!r} needs a question, features or required age factors")
        return self

    def question_ids(self) -> tuple[str, ...]:
        """The yes/no answer keys that feed this flag."""
        if self.features:
            return tuple(f.id for f in self.features.items)
        return (self.id,) if self.question is not None else ()

    def questions(self) -> tuple[tuple[str, LocalText], ...]:
        """(answer key, question) for each yes/no question of this flag, in the order asked."""
        if self.features:
            return tuple((f.id, f.question) for f in self.features.items)
        return ((self.id, self.question),) if self.question is not None else ()


class ScopeQuestions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    pain_duration_weeks: LocalText
    examined_by_doctor: LocalText
    doctor_found_serious_cause: LocalText


class ScopeReasons(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    too_recent: LocalText
    not_examined: LocalText
    specific_cause: LocalText
    in_scope: LocalText


class Scope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    min_duration_weeks: int = Field(gt=0)
    evidence: Evidence
    questions: ScopeQuestions
    reasons: ScopeReasons


class TriageRules(BaseModel):
    """The whole triage data file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    flags: tuple[RedFlag, ...] = Field(min_length=1)
    age: AgeQuestion
    age_factors: tuple[AgeFactor, ...] = ()
    scope: Scope
    routes: dict[Route, LocalText]

    @model_validator(mode="after")
    def _consistent(self) -> TriageRules:
        keys = [q for f in self.flags for q in f.question_ids()] + ["age_years", *ScopeQuestions.model_fields]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"question ids used twice: {', '.join(dupes)}")
        if set(self.routes) != set(Route):
            raise ValueError(f"routes must give a message for each of: {', '.join(Route)}")
        factors = {f.id for f in self.age_factors}
        unknown = sorted({r for f in self.flags for r in f.requires} - factors)
        if unknown:
            raise ValueError(f"flags require unknown age factors: {', '.join(unknown)}")
        return self

    def age_factor(self, factor_id: str) -> AgeFactor:
        return next(f for f in self.age_factors if f.id == factor_id)

    def flag(self, flag_id: str) -> RedFlag:
        for f in self.flags:
            if f.id == flag_id:
                return f
        raise UnknownAnswerError(key=flag_id, allowed=", ".join(f.id for f in self.flags))

    def flag_question_ids(self) -> tuple[str, ...]:
        """The yes/no red-flag questions, in the order asked."""
        return tuple(q for f in self.flags for q in f.question_ids())

    def flag_questions(self) -> tuple[tuple[str, LocalText], ...]:
        """(answer key, question) for every yes/no red-flag question, in the order asked."""
        return tuple(q for f in self.flags for q in f.questions())

    def flag_stage_ids(self) -> tuple[str, ...]:
        """What :func:`triage_flags` needs: age and duration (they feed the age factors), then the flags."""
        return ("age_years", "pain_duration_weeks", *self.flag_question_ids())

    def question_ids(self) -> tuple[str, ...]:
        """Every answer key triage accepts."""
        return ("age_years", *self.flag_question_ids(), *ScopeQuestions.model_fields)


class TriageReason(BaseModel):
    """One fact that decided the route: a raised flag or a scope finding."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    text: LocalText
    evidence: Evidence
    urgency: Urgency | None = None
    condition: str | None = None


class TriageResult(BaseModel):
    """The route, the reasons that decided it, and the message to show the person."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    route: Route
    reasons: tuple[TriageReason, ...]
    message: LocalText

    @property
    def is_referral(self) -> bool:
        """True when a red flag sends the person to a doctor before anything else."""
        return self.route in REFERRAL_ROUTES

    @property
    def raised_flags(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons if r.urgency is not None)


@cache
def triage_rules() -> TriageRules:
    """The red flags, scope check and route messages shipped with Yotsu (validated on load)."""
    return load_model(package_data("yotsu.pathway", "red_flags.yaml"), TriageRules)


Answer = bool | int | float | None


def age_years_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``: the ``age_years`` answer triage expects (the age factors say
    "over 70" for everyone past their 70th birthday). Someone born on 29 February turns a year older on
    1 March in a common year.

    >>> born = dt.date(1976, 2, 29)
    >>> age_years_on(born, dt.date(2026, 2, 28)), age_years_on(born, dt.date(2026, 3, 1))
    (49, 50)
    """
    if birth_date > day:
        raise InvalidAnswerError(key="age_years", value=str(birth_date), allowed=f"a date of birth not after {day}")
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def triage(
    answers: Mapping[str, Answer],
    reported_flags: Iterable[str] = (),
    rules: TriageRules | None = None,
) -> TriageResult:
    """Route a person: any red flag refers (the most urgent wins); otherwise the scope check decides.

    ``answers`` maps question ids (``triage_rules().question_ids()``) to ``True``/``False`` (flags),
    a number of years (``age_years``, required), a number of weeks (``pain_duration_weeks``) or ``None``
    (not answered). ``reported_flags`` are flag ids raised directly, e.g. reported later in a diary or
    by a clinician.

    >>> triage({"saddle_numbness": True}).route.value
    'emergency'
    """
    rules = rules or triage_rules()
    referral = _raised(answers, reported_flags, rules)
    if referral is not None:
        return referral
    missing = [q for q in rules.flag_stage_ids() if answers.get(q) is None]
    missing += [q for q in _missing_scope(answers) if q not in missing]
    if missing:
        raise IncompleteTriageError(missing=", ".join(missing))
    return _scope(answers, rules)


def triage_flags(
    answers: Mapping[str, Answer],
    reported_flags: Iterable[str] = (),
    rules: TriageRules | None = None,
) -> TriageResult | None:
    """Triage on the flag stage alone: the referral if a red flag is raised, else ``None``.

    ``None`` means no red flag: the scope questions come next (:func:`triage` on every answer). The flag
    stage is ``triage_rules().flag_stage_ids()``: age, duration and every red-flag question; silence is
    never read as "no flag", so a question of that stage left unanswered raises
    :class:`IncompleteTriageError` unless a flag is already raised.

    >>> triage_flags({"saddle_numbness": True}).route.value
    'emergency'
    >>> answers = {q: False for q in triage_rules().flag_question_ids()}
    >>> triage_flags({**answers, "age_years": 40, "pain_duration_weeks": 30}) is None
    True
    """
    rules = rules or triage_rules()
    referral = _raised(answers, reported_flags, rules)
    if referral is not None:
        return referral
    missing = [q for q in rules.flag_stage_ids() if answers.get(q) is None]
    if missing:
        raise IncompleteTriageError(missing=", ".join(missing))
    return None


def _raised(answers: Mapping[str, Answer], reported_flags: Iterable[str], rules: TriageRules) -> TriageResult | None:
    _check_answers(answers, rules)
    raised = [f for f in rules.flags if _is_raised(f, answers, rules)]
    raised += [rules.flag(fid) for fid in reported_flags if fid not in {f.id for f in raised}]
    return _referral(raised, rules) if raised else None


def _check_answers(answers: Mapping[str, Answer], rules: TriageRules) -> None:
    allowed = rules.question_ids()
    for key, value in answers.items():
        if key not in allowed:
            raise UnknownAnswerError(key=key, allowed=", ".join(allowed))
        if value is None:
            continue
        number = not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)
        if key == "pain_duration_weeks":
            top = round(rules.age.max_years * WEEKS_PER_YEAR)
            if not number or not 0 <= value <= top:
                raise InvalidAnswerError(key=key, value=value, allowed=f"a number of weeks, from 0 to {top}")
        elif key == "age_years":
            top = rules.age.max_years
            if not number or not 0 <= value <= top:
                raise InvalidAnswerError(key=key, value=value, allowed=f"an age in years, from 0 to {top}")
        elif not isinstance(value, bool):
            raise InvalidAnswerError(key=key, value=value, allowed="true (yes) or false (no)")


def _is_raised(flag: RedFlag, answers: Mapping[str, Answer], rules: TriageRules) -> bool:
    if flag.features is not None:
        asked = sum(answers.get(f.id) is True for f in flag.features.items) >= flag.features.min_features
    else:
        asked = flag.question is None or answers.get(flag.id) is True
    return asked and all(rules.age_factor(r).holds(answers) is True for r in flag.requires)


def _referral(raised: list[RedFlag], rules: TriageRules) -> TriageResult:
    raised.sort(key=lambda f: _URGENCY_ORDER.index(f.urgency))
    route = Route(raised[0].urgency.value)
    reasons = tuple(
        TriageReason(code=f.id, text=f.referral, evidence=f.evidence, urgency=f.urgency, condition=f.condition)
        for f in raised
    )
    return TriageResult(route=route, reasons=reasons, message=rules.routes[route])


def _missing_scope(answers: Mapping[str, Answer]) -> list[str]:
    missing = [q for q in ("pain_duration_weeks", "examined_by_doctor") if answers.get(q) is None]
    if answers.get("examined_by_doctor") is True and answers.get("doctor_found_serious_cause") is None:
        missing.append("doctor_found_serious_cause")
    return missing


def _scope(answers: Mapping[str, Answer], rules: TriageRules) -> TriageResult:
    scope = rules.scope
    texts = scope.reasons
    found: list[tuple[str, LocalText]] = []
    weeks = answers["pain_duration_weeks"]
    assert isinstance(weeks, int | float)  # checked in _check_answers
    if weeks < scope.min_duration_weeks:
        found.append(("too_recent", texts.too_recent))
    if answers["examined_by_doctor"] is False:
        found.append(("not_examined", texts.not_examined))
    elif answers.get("doctor_found_serious_cause") is True:
        found.append(("specific_cause", texts.specific_cause))
    route = Route.OUT_OF_SCOPE if found else Route.IN_SCOPE
    if not found:
        found.append(("in_scope", texts.in_scope))
    reasons = tuple(TriageReason(code=c, text=t, evidence=scope.evidence) for c, t in found)
    return TriageResult(route=route, reasons=reasons, message=rules.routes[route])
