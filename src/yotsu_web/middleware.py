"""Content-Security-Policy header (Django 5.2 has no built-in CSP)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def content_security_policy(get_response: Callable[[HttpRequest], HttpResponse]):  # type: ignore[no-untyped-def]
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.YOTSU_CSP)
        return response

    return middleware
