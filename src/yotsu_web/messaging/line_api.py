"""LINE's push endpoint through the official SDK (``linebot.v3.messaging``); the only place Yotsu calls LINE.

The host is ``settings.YOTSU_LINE_API_HOST`` (default LINE's own), so tests can put a local HTTP server
in LINE's place. Each push carries ``X-Line-Retry-Key``: LINE accepts a key once and answers 409 to a
repeat, which makes a retried push after a worker restart arrive exactly once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, PushMessageRequest, TextMessage
from linebot.v3.messaging.exceptions import ApiException

LINE_API_HOST = "https://api.line.me"


class LinePushError(Exception):
    """LINE refused a push (the status is kept; the message text never is)."""


def push_text(access_token: str, line_user_id: str, text: str, retry_key: uuid.UUID) -> None:
    """Push ``text`` to ``line_user_id``; a 409 for a retry key LINE already accepted counts as sent."""
    host = getattr(settings, "YOTSU_LINE_API_HOST", LINE_API_HOST)
    configuration = Configuration(host=host, access_token=access_token)
    with ApiClient(configuration) as client:
        try:
            MessagingApi(client).push_message(
                PushMessageRequest(to=line_user_id, messages=[TextMessage(text=text[:5000])]),
                x_line_retry_key=str(retry_key),
            )
        except ApiException as error:
            if error.status == 409:
                return
            raise LinePushError(f"LINE push refused with status {error.status}") from None
