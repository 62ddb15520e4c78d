"""What the clinic's public page shows, built once for the template, the meta tags and the JSON-LD.

The page carries no patient data: only what the clinic publishes about itself (its settings in the
admin, its practitioners' display names and, once booking exists, its visit types and prices).
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import segno
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from yotsu_web.clinics.lang import current_lang
from yotsu_web.clinics.models import Clinic, Membership, Role

MAP_SEARCH = "https://www.google.com/maps/search/?api=1&query="
DESCRIPTION_CHARS = 160  # what search engines show of a meta description


@dataclass(frozen=True)
class Price:
    name: str
    minutes: int
    price_yen: int


@dataclass
class ClinicPage:
    clinic: Clinic
    description: str
    map_url: str
    practitioners: list[str]
    prices: list[Price] = field(default_factory=list)
    line_qr_svg: SafeString | None = None

    @property
    def meta_description(self) -> str:
        text = " ".join(self.description.split()) or self.clinic.name
        return text if len(text) <= DESCRIPTION_CHARS else text[: DESCRIPTION_CHARS - 1] + "…"


def map_link(clinic: Clinic) -> str:
    """The clinic's own map link, or a map search for its address ('' without an address)."""
    if clinic.map_url:
        return clinic.map_url
    return MAP_SEARCH + urllib.parse.quote(clinic.address) if clinic.address else ""


def qr_svg(url: str) -> SafeString:
    """A QR code of ``url`` as inline SVG (segno; no script, no external image, fits the CSP)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, title=url)
    return mark_safe(svg)  # segno escapes the title; the rest is generated markup


def practitioner_names(clinic: Clinic) -> list[str]:
    members = Membership.objects.filter(clinic=clinic, role=Role.PRACTITIONER).select_related("user")
    return [m.user.get_full_name() or m.user.username for m in members.order_by("pk")]


def visit_prices(clinic: Clinic) -> list[Price]:
    """Prices per visit type, from booking once that app is installed."""
    from django.apps import apps

    if not apps.is_installed("yotsu_web.booking"):
        return []
    from yotsu_web.booking.models import VisitType

    types = VisitType.objects.filter(clinic=clinic, active=True).order_by("order", "pk")
    return [Price(t.name_for(current_lang()), t.minutes, t.price_yen) for t in types]


def build(clinic: Clinic) -> ClinicPage:
    return ClinicPage(
        clinic=clinic,
        description=clinic.description_for(current_lang()),
        map_url=map_link(clinic),
        practitioners=practitioner_names(clinic),
        prices=visit_prices(clinic),
        line_qr_svg=qr_svg(clinic.line_add_friend_url) if clinic.line_add_friend_url else None,
    )


def json_ld(page: ClinicPage, request: HttpRequest) -> SafeString:
    """schema.org data for the clinic (a ``MedicalClinic``), safe to put inside a script element."""
    clinic = page.clinic
    url = request.build_absolute_uri(reverse("public:clinic", args=[clinic.slug]))
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "MedicalClinic", "name": clinic.name, "url": url}
    if page.description:
        data["description"] = page.description
    if clinic.phone:
        data["telephone"] = clinic.phone
    if clinic.address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": clinic.address,
            "addressCountry": "JP",
            **({"postalCode": clinic.postal_code} if clinic.postal_code else {}),
        }
    if page.map_url:
        data["hasMap"] = page.map_url
    if clinic.hours:
        data["openingHours"] = [line.strip() for line in clinic.hours.splitlines() if line.strip()]
    if page.prices:
        data["makesOffer"] = [
            {"@type": "Offer", "name": p.name, "price": p.price_yen, "priceCurrency": "JPY"} for p in page.prices
        ]
    if clinic.line_add_friend_url:
        data["sameAs"] = [clinic.line_add_friend_url]
    text = json.dumps(data, ensure_ascii=False)
    # "</" would end the script element early; JSON allows "<\/" for it.
    return mark_safe(text.replace("</", "<\\/"))
