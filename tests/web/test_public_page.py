"""The clinic's public page: phone first, both languages, meta tags, JSON-LD, LINE QR, and the site root."""

from __future__ import annotations

import json
import re

from django.test import Client
from django.urls import reverse

from yotsu_web.clinics.models import Clinic

from .conftest import Personas


def fill(clinic: Clinic) -> None:
    clinic.description = "強いマッサージに頼らない、腰痛の整体院です。</script><b>"
    clinic.description_en = "A clinic for low back pain that does not rely on strong massage."
    clinic.postal_code = "150-0001"
    clinic.address = "東京都渋谷区神宮前1-2-3"
    clinic.phone = "03-1234-5678"
    clinic.hours = "Mo-Fr 10:00-19:00\nSa 10:00-17:00"
    clinic.holidays = "日曜・祝日"
    clinic.line_add_friend_url = "https://lin.ee/abcdEFG"
    clinic.save()


def json_ld(page: str) -> dict[str, object]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match is not None
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_page_shows_what_the_clinic_publishes_in_japanese(client: Client, personas: Personas) -> None:
    fill(personas.clinic)
    page = client.get(reverse("public:clinic", args=["sakura"]), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "強いマッサージに頼らない" in page and "&lt;b&gt;" in page  # the clinic's words, escaped
    assert 'href="tel:03-1234-5678"' in page and "〒150-0001" in page
    assert "https://www.google.com/maps/search/?api=1&amp;query=%E6%9D%B1%E4%BA%AC" in page
    assert "日曜・祝日" in page and "Sa 10:00-17:00" in page
    assert "セルフチェック" in page and "お問い合わせ" in page
    assert reverse("selfcheck:start", args=["sakura"]) in page
    assert reverse("inquiries:landing", args=["sakura"]) in page
    assert "pat" in page  # the practitioner, by name (no full name set: the login name)
    assert "<svg" in page and "https://lin.ee/abcdEFG" in page  # LINE button and QR code


def test_page_in_english_uses_the_english_description(client: Client, personas: Personas) -> None:
    fill(personas.clinic)
    page = client.get(reverse("public:clinic", args=["sakura"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "does not rely on strong massage" in page and "Ask us a question" in page
    assert '<meta property="og:locale" content="en_US">' in page


def test_meta_tags_and_json_ld_describe_the_clinic(client: Client, personas: Personas) -> None:
    fill(personas.clinic)
    page = client.get(reverse("public:clinic", args=["sakura"]), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<meta property="og:title" content="さくら整体院">' in page
    assert '<meta property="og:url" content="http://testserver/c/sakura/info/">' in page
    assert re.search(r'<meta name="description" content="強いマッサージ[^"]*">', page)
    assert "</script><b>" not in page.split('type="application/ld+json">')[1].split("</script>\n")[0]
    data = json_ld(page)
    assert data["@type"] == "MedicalClinic" and data["name"] == "さくら整体院"
    assert data["telephone"] == "03-1234-5678"
    assert data["address"] == {"@type": "PostalAddress", "streetAddress": "東京都渋谷区神宮前1-2-3",
                               "addressCountry": "JP", "postalCode": "150-0001"}  # fmt: skip
    assert data["openingHours"] == ["Mo-Fr 10:00-19:00", "Sa 10:00-17:00"]
    assert str(data["description"]).endswith("</script><b>")  # survives the escaping as data


def test_the_qr_code_decodes_to_the_line_link(client: Client, personas: Personas) -> None:
    """The QR's modules, read back from the SVG path, equal segno's matrix for the link (no QR decoder here)."""
    import segno

    fill(personas.clinic)
    page = client.get(reverse("public:clinic", args=["sakura"])).content.decode()
    expected = segno.make("https://lin.ee/abcdEFG", error="m").svg_inline(scale=4, title="https://lin.ee/abcdEFG")
    assert expected in page


def test_an_empty_clinic_still_renders_without_blank_sections(client: Client, personas: Personas) -> None:
    page = client.get(reverse("public:clinic", args=["other"])).content.decode()
    assert "Other clinic" in page and "tel:" not in page and "<svg" not in page


def test_unknown_clinic_is_404(client: Client, personas: Personas) -> None:
    assert client.get(reverse("public:clinic", args=["nowhere"])).status_code == 404


def test_root_leads_to_the_only_clinic_or_to_the_list(client: Client, db: None) -> None:
    assert client.get("/")["Location"] == reverse("public:clinics")
    Clinic.objects.create(name="One", slug="one")
    assert client.get("/")["Location"] == reverse("public:clinic", args=["one"])
    Clinic.objects.create(name="Two", slug="two")
    assert client.get("/")["Location"] == reverse("public:clinics")
    listing = client.get(reverse("public:clinics")).content.decode()
    assert reverse("public:clinic", args=["one"]) in listing and reverse("public:clinic", args=["two"]) in listing


def test_root_sends_a_member_home(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    assert client.get("/")["Location"] == reverse("accounts:home")
