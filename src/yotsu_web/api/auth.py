"""API authentication: a bearer token (``Authorization: Bearer yotsu_...``) or the browser session,
followed at once by the endpoint's access check.

The session path keeps Django's CSRF check on unsafe methods; the token path needs none (no cookie).
Either way ``request.user`` is the authenticated user, and the same checks as the views
(``clinics.access``) run right after authentication, before the body is read, so a wrong user gets
403/404 and learns nothing from validation errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from yotsu_web.api.models import ApiToken

#: An access check: called with the request and the URL's arguments; raises PermissionDenied or Http404.
Check = Callable[[HttpRequest, dict[str, Any]], object]


def _check(check: Check | None, request: HttpRequest) -> None:
    if check is not None:
        match = request.resolver_match
        check(request, dict(match.kwargs) if match is not None else {})


class TokenAuth(HttpBearer):
    check: Check | None = None

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.user_for(token)
        if user is None:
            return None
        request.user = user  # type: ignore[assignment]
        _check(self.check, request)
        return user


class SessionAuthWithoutToken(SessionAuth):
    """The session, unless the request presents a token: a wrong or revoked token is refused, not
    quietly replaced by the browser's session."""

    check: Check | None = None

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        user = super().authenticate(request, key)
        if user is not None:
            _check(self.check, request)
        return user


def access(check: Check) -> list[Any]:
    """Token or session authentication, then ``check``."""
    token, session = TokenAuth(), SessionAuthWithoutToken(csrf=True)
    token.check = session.check = check
    return [token, session]


AUTH = [TokenAuth(), SessionAuthWithoutToken(csrf=True)]  # authentication only (the schema endpoint's default)
