"""The JSON API (django-ninja) at ``/api/v1/``, OpenAPI schema at ``/api/v1/openapi.json``.

Each endpoint starts with the same access check as the matching view (``clinics.access``): a patient
reaches only their own records, staff only their clinic's patients; a wrong role gets 403 and another
clinic's object 404. Reads and writes of patient records are audited like the views.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from yotsu._strict import StrictInputError, parse_json
from yotsu_web.api.auth import AUTH

api = NinjaAPI(
    title="Yotsu clinic API",
    version="1",
    description="A patient's diary, questionnaire results, body-map sessions and alerts; a clinic's patients "
    "and one patient's timeline. Authenticate with a bearer token from your account page, or the session.",
    urls_namespace="api",
    auth=AUTH,
    docs_url=None,  # the interactive docs load scripts from a CDN, which the CSP rightly refuses
)


class StrictParser(Parser):
    """Request bodies through Yotsu's strict JSON reader: a key twice, NaN, Infinity, nesting past 32 or
    integers past 2**53 are refused (400, naming the problem), not resolved to the last key or stored."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data: dict[str, Any] = parse_json(request.body, "request body")
        return data


api.parser = StrictParser()


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    while parts and parts[0] in {"body", "payload", "path", "query"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Pydantic errors as ``{"field", "message", "type"}``: the message says what is allowed."""
    return [{"field": _field(e.get("loc", ())), "message": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in errors]  # fmt: skip


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, StrictInputError):  # ninja hides the parser's message; it says what is allowed
        detail = [{"field": "body", "message": cause.detail, "type": "invalid_json"}]
        return api.create_response(request, {"detail": detail}, status=400)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": field_errors(list(exc.errors))}, status=422)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Forbidden"}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Authentication required"}, status=401)


from yotsu_web.api import patient_routes, staff_routes  # noqa: E402  (routes register on ``api``)

api.add_router("/clinics/", patient_routes.router)
api.add_router("/clinics/", staff_routes.router)
