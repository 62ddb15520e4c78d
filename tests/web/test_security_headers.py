"""Headers every response carries, whatever the mode."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from .conftest import Personas


def test_pages_carry_csp_and_framing_protection(client: Client, personas: Personas) -> None:
    response = client.get(reverse("inquiries:landing", args=["sakura"]))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_error_pages_carry_csp_too(client: Client, personas: Personas) -> None:
    response = client.get("/c/no-such-clinic/")
    assert response.status_code == 404
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_forbidden_page_is_translated(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    response = client.get(reverse("inquiries:inbox", args=["sakura"]), HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 403
    assert "このアカウントではこのページを開けません。" in response.content.decode()
