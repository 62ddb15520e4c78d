"""The pathway speaks 'ja' and 'en'; Django's active language may carry a region ('en-us')."""

from __future__ import annotations

from django.utils.translation import get_language


def current_lang() -> str:
    """The active request language as a pathway language code."""
    return "ja" if (get_language() or "ja").lower().startswith("ja") else "en"
