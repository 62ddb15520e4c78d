"""One tracking rule for every face: the diary page, the desk and the API show the alerts the CLI prints,
all from ``yotsu.pathway.tracking_report`` (a clinically important worsening included)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu_web.diary.models import DiaryDay

from .conftest import Personas

HEADER = "date,pain_nrs,sleep_quality,stress,activity_minutes,session_kind,pressure,relief,relief_days,red_flags\n"


def test_a_worsening_the_cli_reports_is_shown_on_the_diary_the_desk_and_the_api(
    client: Client, personas: Personas, tmp_path: Path
) -> None:
    start = timezone.localdate() - dt.timedelta(days=13)
    pains = [3 if i < 7 else 6 for i in range(14)]
    for i, pain in enumerate(pains):
        DiaryDay.objects.create(patient=personas.patient_record, date=start + dt.timedelta(days=i), pain_nrs=pain)
    csv = tmp_path / "diary.csv"
    csv.write_text(
        HEADER + "".join(f"{start + dt.timedelta(days=i)},{p},,,,,,,,\n" for i, p in enumerate(pains)), encoding="utf-8"
    )
    cli = subprocess.run(
        [sys.executable, "-m", "yotsu.cli", "track", str(csv), "--json"], capture_output=True, text=True
    )
    assert cli.returncode == 0, cli.stderr
    assert [a["kind"] for a in json.loads(cli.stdout)["alerts"]] == ["worsening"]

    client.force_login(personas.patient)
    page = client.get(reverse("diary:diary", args=["sakura"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pain is getting worse" in page and "review the plan with your clinician" in page
    api = client.get(reverse("api:my-alerts", args=["sakura"])).json()
    assert any("worsened" in m["en"] for m in api["messages"])

    client.force_login(personas.practitioner)
    desk = client.get(reverse("desk:patient", args=["sakura", personas.patient_record.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert desk.status_code == 200 and "Pain is getting worse" in desk.content.decode()
