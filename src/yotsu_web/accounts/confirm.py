"""Confirming a patient's e-mail address: a signed link that expires, sent with Django's mail (as the
password reset is), that sets ``User.email_confirmed_at``.

The link carries the account id and the address it was sent to, signed with the site's secret
(``django.core.signing``, with a salt of its own); it works for ``MAX_AGE_S`` and only while the account
still has that address. It carries no health data.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from yotsu_web.accounts.models import User

SALT = "yotsu.accounts.email-confirmation"
MAX_AGE_S = 3 * 24 * 60 * 60  # three days
log = logging.getLogger(__name__)


def make_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=SALT, compress=True)


def user_for(token: str) -> User | None:
    """The account the link was made for, if the link is genuine, not expired, and the address unchanged."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_S)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not user.email or user.email.lower() != data.get("e"):
        return None
    return user


def confirm(user: User) -> bool:
    """Mark the address confirmed; False when it already was (the first confirmation's time is kept)."""
    if user.email_confirmed_at is not None:
        return False
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email_confirmed_at"])
    return True


def send_confirmation(user: User, clinic_name: str) -> bool:
    """E-mail the confirmation link, in the active language; False (logged) when the mail server refused."""
    context = {
        "clinic": clinic_name,
        "url": settings.YOTSU_BASE_URL + reverse("email_confirm", args=[make_token(user)]),
        "days": MAX_AGE_S // (24 * 60 * 60),
    }
    subject = " ".join(render_to_string("accounts/email_confirm/subject.txt", context).split())
    body = render_to_string("accounts/email_confirm/email.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # the account exists either way; the portal offers "send again"
        log.exception("the e-mail confirmation for user %s could not be sent", user.pk)
        return False
    return True
