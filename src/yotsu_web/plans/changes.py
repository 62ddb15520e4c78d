"""What a plan edit changed, stored with the new version (ids and numbers only) and shown in words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yotsu.pathway.exercises import UnknownExerciseError, exercise_library
from yotsu.pathway.plan import RiskGroup
from yotsu_web.clinics.lang import current_lang
from yotsu_web.plans.current import CurrentPlan
from yotsu_web.plans.models import RISK_GROUP_LABELS

FIELD_LABELS = {
    "risk_group": gettext_lazy("risk group"),
    "weeks": gettext_lazy("weeks"),
    "start_date": gettext_lazy("plan start"),
    "sleep_care": gettext_lazy("sleep care"),
    "massage_pressure": gettext_lazy("comfortable massage pressure (0-10)"),
}


def choices_of(current: CurrentPlan | None) -> dict[str, Any]:
    """The plan's editable choices (what the form edits and what changes are computed over)."""
    if current is None:
        return {}
    plan = current.plan
    massage = [s.dose for s in plan.sessions if s.kind.value == "massage"]
    return {
        "risk_group": plan.risk_group.value,
        "weeks": plan.weeks,
        "start_date": current.start_date.isoformat(),
        "sleep_care": any(c.kind.value == "sleep_care" for c in plan.components),
        "massage_pressure": massage[0] if massage else None,
    }


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    # Plans saved before the programme owned the exercises also recorded exercise changes; change_lines
    # still shows those.
    return [
        {"field": field, "before": before.get(field), "after": after.get(field)}
        for field in FIELD_LABELS
        if before.get(field) != after.get(field)
    ]


def _value(field: str, value: Any) -> str:
    if value is None:
        return _("none")
    if field == "risk_group":
        return str(RISK_GROUP_LABELS[RiskGroup(value)])
    if field == "sleep_care":
        return _("yes") if value else _("no")
    return f"{value:g}" if isinstance(value, float) else str(value)


def exercise_name(exercise_id: str) -> str:
    try:
        return exercise_library().get(exercise_id).name(current_lang())
    except UnknownExerciseError:
        return exercise_id


def change_lines(changes: list[dict[str, Any]]) -> list[str]:
    """Each stored change as one line in the page's language."""
    lines = []
    for c in changes:
        if c["field"] == "exercise":
            name = exercise_name(c["exercise"])
            if c["before"] is None:
                lines.append(_("%(exercise)s added at level %(after)s") % {"exercise": name, "after": c["after"]})
            elif c["after"] is None:
                lines.append(_("%(exercise)s removed") % {"exercise": name})
            else:
                lines.append(
                    _("%(exercise)s: level %(before)s → %(after)s")
                    % {"exercise": name, "before": c["before"], "after": c["after"]}
                )
        elif c["field"] in FIELD_LABELS:
            lines.append(
                _("%(field)s: %(before)s → %(after)s")
                % {"field": FIELD_LABELS[c["field"]], "before": _value(c["field"], c["before"]),
                   "after": _value(c["field"], c["after"])}
            )  # fmt: skip
    return lines
