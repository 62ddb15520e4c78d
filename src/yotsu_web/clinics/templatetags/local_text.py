"""Show the pathway's bilingual texts (``LocalText``) in the language of the request.

``LocalText`` is callable, and Django templates call callables with no arguments (which would give
English), so the filter takes the owning object and the attribute name:
``{{ flag|local:"question" }}``.
"""

from __future__ import annotations

from typing import Any

from django import template

from yotsu.evidence import EvidenceLevel
from yotsu.i18n import LocalText
from yotsu_web.clinics.lang import current_lang

register = template.Library()


@register.filter
def local(owner: Any, attribute: str) -> str:
    """``owner.<attribute>`` in the page's language ('ja' or 'en')."""
    text = getattr(owner, attribute, None) if owner is not None else None
    if isinstance(text, LocalText):
        return text(current_lang())
    return "" if text is None else str(text)


@register.filter
def evidence_level(level: EvidenceLevel | str) -> str:
    """An evidence level as the pathway names it for a person ('established', 'reported', ...)."""
    return EvidenceLevel(level).label(current_lang())
