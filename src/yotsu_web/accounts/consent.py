"""Consent to the privacy notice (APPI 要配慮個人情報): the notice's versioned text, and what a withdrawn
consent stops.

A patient whose consent is withdrawn gets, from every patient page that looks up their record with
:func:`yotsu_web.clinics.access.own_record`, only the withdrawal notice and the way to their data and its
deletion. :class:`ConsentWithdrawn` is a ``PermissionDenied``, so anything not caught by
:class:`ConsentGate` (the JSON API) still refuses with 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

if TYPE_CHECKING:
    from yotsu_web.clinics.models import Membership

NOTICE_FILE = Path(__file__).parent / "data" / "privacy_notice.yaml"


@dataclass(frozen=True)
class Section:
    heading: str
    text: str


@dataclass(frozen=True)
class Notice:
    version: str
    title: str
    sections: tuple[Section, ...]


@cache
def _notices() -> dict[str, Any]:
    with NOTICE_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    if data["current"] not in data["versions"]:
        raise ValueError(f"{NOTICE_FILE}: current version {data['current']!r} has no text")
    return data


def current_version() -> str:
    return str(_notices()["current"])


def notice(clinic_name: str, lang: str, version: str | None = None) -> Notice:
    """The notice text of ``version`` (default: the current one) in ``lang`` ('ja' or 'en'; else Japanese)."""
    version = version or current_version()
    texts = _notices()["versions"][version]
    text = texts.get(lang) or texts["ja"]
    sections = tuple(
        Section(s["heading"].format(clinic=clinic_name), s["text"].format(clinic=clinic_name)) for s in text["sections"]
    )
    return Notice(version, text["title"], sections)


def consent_due(membership: Membership) -> bool:
    """Whether the patient has not yet agreed to the current notice (an older account, or a newer text)."""
    from yotsu_web.accounts.models import Consent

    latest = Consent.objects.filter(patient=membership).first()
    return latest is None or latest.notice_version != current_version()


class ConsentWithdrawn(PermissionDenied):
    """The patient withdrew consent in this clinic: their health data is no longer processed."""

    def __init__(self, membership: Membership) -> None:
        super().__init__("consent withdrawn")
        self.membership = membership


class ConsentGate:
    """Turns :class:`ConsentWithdrawn` raised by a page into the withdrawal notice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ConsentWithdrawn):
            return None
        context = {"clinic": exception.membership.clinic, "membership": exception.membership}
        return TemplateResponse(request, "accounts/withdrawn.html", context, status=403).render()
