"""Referral: what a person with a raised red flag must do, how urgently and where (``data/referral.yaml``).

The urgency is triage's (the most urgent raised flag decides; a red flag is never outweighed); this
module adds the steps a person follows in Japan (119 for an ambulance, #7119 for advice where it
exists; fdma7119) and the rule every face applies afterwards: while a referral is open, no plan or
programme is built or continued until a doctor's clearance is recorded (:func:`clearance_required`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from pydantic import BaseModel, ConfigDict

from yotsu.i18n import LocalText
from yotsu.pathway._common import Evidence, load_model, package_data
from yotsu.pathway.triage import TriageReason, Urgency, triage, triage_rules


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RouteAdvice(_Frozen):
    """The steps for one urgency: a headline, what to do, how soon, where."""

    headline: LocalText
    what: LocalText
    when: LocalText
    where: LocalText
    evidence: Evidence


class ReferralRules(_Frozen):
    routes: dict[Urgency, RouteAdvice]
    after: LocalText


@cache
def referral_rules() -> ReferralRules:
    """The shipped referral steps, validated on load (one for each urgency)."""
    rules = load_model(package_data("yotsu.pathway", "referral.yaml"), ReferralRules)
    missing = set(Urgency) - set(rules.routes)
    if missing:
        raise ValueError(f"referral.yaml: give steps for {', '.join(sorted(missing))}")
    return rules


class Referral(_Frozen):
    """The referral for a set of raised flags: the most urgent decides the steps."""

    urgency: Urgency
    advice: RouteAdvice
    reasons: tuple[TriageReason, ...]
    after: LocalText

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)


def referral_for(flags: Iterable[str]) -> Referral | None:
    """The referral for the raised red-flag ids ``flags`` (None when there is none).

    >>> referral_for(["saddle_numbness", "significant_trauma"]).urgency.value
    'emergency'
    >>> referral_for([]) is None
    True
    """
    flags = [f for f in dict.fromkeys(flags)]
    if not flags:
        return None
    for flag_id in flags:
        triage_rules().flag(flag_id)  # an unknown id is an error naming the known ones
    result = triage({}, reported_flags=flags)
    urgency = Urgency(result.route.value)
    rules = referral_rules()
    return Referral(urgency=urgency, advice=rules.routes[urgency], reasons=result.reasons, after=rules.after)


def clearance_required(open_flags: Iterable[str]) -> bool:
    """True while any red flag is open: building or continuing a plan or a programme must wait for a
    doctor's clearance (who, when, outcome). Nothing outweighs an open flag."""
    return any(True for _ in open_flags)


__all__ = ["Referral", "ReferralRules", "RouteAdvice", "clearance_required", "referral_for", "referral_rules"]
