"""Staff see patients by name, reading (furigana) and age, and find them by any of these."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu_web.accounts.models import User
from yotsu_web.clinics.models import Role

from .conftest import Personas, make_user


def patients(query: str | None = None, slug: str = "sakura") -> str:
    url = reverse("desk:patients", args=[slug])
    return url if query is None else f"{url}?q={query}"


def name(user: User, full_name: str, furigana: str, years: int | None = None) -> None:
    user.full_name, user.furigana = full_name, furigana
    if years is not None:
        user.birth_date = dt.date(timezone.localdate().year - years, 1, 1)  # born 1 January: ``years`` old today
    user.save()


def test_patient_list_shows_name_reading_and_age(client: Client, personas: Personas) -> None:
    name(personas.patient, "山田 花子", "ヤマダ ハナコ", years=52)
    client.force_login(personas.practitioner)
    page = client.get(patients(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "山田 花子" in page and "ヤマダ ハナコ" in page and "52歳" in page
    page = client.get(patients(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "age 52" in page


def test_patient_without_identity_is_listed_by_username(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    page = client.get(patients()).content.decode()
    assert "alice" in page and "歳" not in page


def test_search_by_name_reading_in_katakana_or_hiragana_and_username(client: Client, personas: Personas) -> None:
    name(personas.patient, "山田 花子", "ヤマダ ハナコ")
    other = make_user("carol", personas.clinic, Role.PATIENT)
    name(other, "鈴木 一郎", "スズキ イチロウ")
    client.force_login(personas.practitioner)
    for query in ("山田", "ヤマダ", "やまだ", "ﾔﾏﾀﾞ", "はなこ 山田", "alice"):
        page = client.get(patients(query)).content.decode()
        assert "山田 花子" in page and "鈴木 一郎" not in page, query
    page = client.get(patients("佐藤")).content.decode()
    assert "山田 花子" not in page and "佐藤" in page  # the empty result names the query


def test_search_never_finds_another_clinics_patient(client: Client, personas: Personas) -> None:
    name(personas.other_patient, "山田 太郎", "ヤマダ タロウ")
    client.force_login(personas.practitioner)
    assert "山田 太郎" not in client.get(patients("ヤマダ")).content.decode()
    client.force_login(personas.other_patient)
    assert client.get(patients("ヤマダ", slug="other")).status_code == 403
    client.force_login(personas.patient)
    assert client.get(patients("ヤマダ")).status_code == 403


def test_patient_page_shows_name_reading_and_age(client: Client, personas: Personas) -> None:
    name(personas.patient, "山田 花子", "ヤマダ ハナコ", years=70)
    client.force_login(personas.practitioner)
    page = client.get(reverse("desk:patient", args=["sakura", personas.patient_record.pk])).content.decode()
    assert "山田 花子" in page and "ヤマダ ハナコ" in page and "70歳" in page


def test_long_or_odd_queries_are_harmless(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    assert client.get(patients("%_" * 300)).status_code == 200
