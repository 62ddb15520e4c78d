"""Template helpers for the home programme: the dose in words, the exercise figures."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from yotsu.pathway.exercises import Dose
from yotsu_web.programme.figures import exercise_svgs

register = template.Library()


@register.filter
def dose_text(dose: Dose) -> str:
    """'2 × 8 repetitions, on 5 of 7 days' in the page's language."""
    if dose.reps is not None:
        amount = _("%(sets)d × %(reps)d repetitions") % {"sets": dose.sets, "reps": dose.reps}
    elif dose.hold_seconds is not None and dose.hold_seconds >= 120 and dose.hold_seconds % 60 == 0:
        amount = _("%(sets)d × %(minutes)d minutes") % {"sets": dose.sets, "minutes": dose.hold_seconds // 60}
    else:
        amount = _("%(sets)d × %(seconds)d seconds") % {"sets": dose.sets, "seconds": dose.hold_seconds or 0}
    days = _("on %(days)d of 7 days") % {"days": dose.days_per_week}
    return _("%(amount)s, %(days)s") % {"amount": amount, "days": days}


@register.simple_tag
def exercise_figures(exercise_id: str) -> SafeString:
    """The start and end figures side by side (SVG drawn by the app, no user input inside)."""
    start, end = exercise_svgs(exercise_id)
    start_label, end_label = escape(_("start")), escape(_("end"))
    return mark_safe(
        f'<div class="figures"><figure>{start}<figcaption>{start_label}</figcaption></figure>'
        f"<figure>{end}<figcaption>{end_label}</figcaption></figure></div>"
    )
