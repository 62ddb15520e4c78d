"""Checks over all of the web app's templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import yotsu_web

from .conftest import Personas

TEMPLATES = sorted(Path(yotsu_web.__file__).parent.rglob("templates/**/*.html"))


def test_templates_are_found() -> None:
    assert len(TEMPLATES) >= 12


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_every_post_form_carries_a_csrf_token(template: Path) -> None:
    text = template.read_text()
    for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", text, flags=re.S | re.I):
        assert "{% csrf_token %}" in form, template


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_inline_script_or_style(template: Path) -> None:
    """The CSP forbids inline code; a template that needs it would break silently in the browser.
    Scripts come from static files only: a script element must have a src and no body. A JSON-LD data
    block (``type="application/ld+json"``) is data, never run, so the CSP does not apply to it."""
    text = template.read_text()
    assert "<style" not in text and " style=" not in text and " on" + "click=" not in text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", text, flags=re.S | re.I)
    assert text.lower().count("<script") == len(scripts)
    for attributes, body in scripts:
        if attributes.strip() == 'type="application/ld+json"':
            continue
        assert "src=" in attributes and body.strip() == "", template


def test_language_switch_changes_the_page_language(client: Client, personas: Personas) -> None:
    landing = reverse("inquiries:landing", args=["sakura"])
    assert "お名前" in client.get(landing).content.decode()  # Japanese is the default
    response = client.post(reverse("set_language"), {"language": "en", "next": landing})
    assert response.status_code == 302 and response["Location"] == landing
    assert "Your name" in client.get(landing).content.decode()
