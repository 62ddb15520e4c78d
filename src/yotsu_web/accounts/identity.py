"""A patient's identity as a Japanese clinic records it: 氏名, フリガナ, date of birth.

Furigana is stored in full-width katakana; half-width katakana and hiragana typed by the patient are
converted, anything else is refused with a message naming what is allowed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yotsu.pathway import age_years_on

OLDEST_AGE = 120  # a date of birth further back than this is a typing error
_KATAKANA = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FB ]+$")  # katakana, ー (long vowel), ・ and spaces


def to_katakana(text: str) -> str:
    """``text`` with half-width katakana made full-width, hiragana made katakana, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text)  # half-width katakana -> full-width; 全角スペース -> " "
    text = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)
    return " ".join(text.split())


def clean_furigana(text: str) -> str:
    value = to_katakana(text)
    if not _KATAKANA.match(value):
        raise ValidationError(
            _("Write the reading of your name in katakana (for example ヤマダ ハナコ)."), code="furigana"
        )
    return value


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years of age on ``day``, as the pathway's triage counts them."""
    return age_years_on(birth_date, day)


def clean_birth_date(birth_date: dt.date, today: dt.date) -> dt.date:
    if birth_date > today:
        raise ValidationError(_("The date of birth is in the future; please check it."), code="future")
    if age_on(birth_date, today) > OLDEST_AGE:
        raise ValidationError(
            _("The date of birth is more than %(years)d years ago; please check the year."),
            code="too_old",
            params={"years": OLDEST_AGE},
        )
    return birth_date
