"""Home programmes for the demo patients, lived day by day through the same services as the web app.

- demo-patient-1: three weeks of settled sessions; one progression accepted by the practitioner in
  week two, and the rule's next proposal waiting on the desk; a short message thread;
- demo-patient-2: two good weeks, then two days of flare: the flare alert, a step back proposed and
  the gentle message;
- demo-patient-3: stopped logging five days ago: the three-days-without-a-log alert.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from yotsu.pathway.exercises import Dose
from yotsu_web.clinics.models import Membership
from yotsu_web.messaging.models import Message, Origin
from yotsu_web.programme.models import (
    Alert,
    Decision,
    MorningPain,
    Programme,
    ProgrammeExercise,
    Proposal,
    SessionLog,
    Status,
)
from yotsu_web.programme.services import after_logged_day, apply, check_inactivity
from yotsu_web.reminders.models import ReminderPreference

DAYS = 21


def _programme(
    patient: Membership, start: dt.date, exercises: tuple[str, ...], baseline: int, user: object
) -> Programme:
    Programme.objects.filter(patient=patient).delete()
    MorningPain.objects.filter(patient=patient).delete()
    Alert.objects.filter(patient=patient).delete()
    Message.objects.filter(patient=patient).delete()
    programme = Programme.objects.create(patient=patient, baseline_pain_nrs=baseline, start_date=start, updated_by=user)
    for position, exercise_id in enumerate(exercises):
        entry = ProgrammeExercise(programme=programme, patient=patient, exercise_id=exercise_id, level=1,
                                  level_since=start, position=position)  # fmt: skip
        entry.set_dose(entry.exercise.levels[0].dose)
        entry.save()
    ReminderPreference.objects.update_or_create(patient=patient, defaults={"time": dt.time(19, 0)})
    return programme


def _live(
    programme: Programme, day: dt.date, pain_during: int | None, morning: int | None, done_every: int = 1
) -> None:
    """One day: the morning's pain (about the day before), then each exercise due that day."""
    patient = programme.patient
    if morning is not None:
        MorningPain.objects.update_or_create(patient=patient, date=day, defaults={"pain_nrs": morning})
        after_logged_day(programme, day)
    if pain_during is None:
        return
    for i, entry in enumerate(programme.exercises.filter(active=True)):
        if (day.toordinal() + i) % done_every:
            continue
        status = Status.PARTLY if (day.toordinal() + i) % 5 == 0 else Status.DONE
        SessionLog.objects.update_or_create(entry=entry, date=day, defaults={
            "patient": patient, "status": status, "pain_during": pain_during, "level": entry.level})  # fmt: skip
    after_logged_day(programme, day)


def _accept_first(programme: Programme, user: object, day: dt.date) -> None:
    """The practitioner accepts the first proposal the rule made (a progression)."""
    proposal = Proposal.objects.filter(entry__programme=programme, decision=Decision.PENDING).order_by("pk").first()
    if proposal is not None:
        apply(proposal, proposal.entry, user, Decision.ACCEPTED, level=proposal.to_level,
              dose=Dose(**proposal.to_dose), on=day)  # fmt: skip


@transaction.atomic
def create_demo_programmes(patients: list[Membership], practitioner_user: object) -> None:
    today = timezone.localdate()
    start = today - dt.timedelta(days=DAYS - 1)
    settled, flaring, quiet = patients

    programme = _programme(settled, start, ("pelvic_tilt_awareness", "hip_hinge", "diaphragmatic_breathing"), 4,
                           practitioner_user)  # fmt: skip
    for n in range(DAYS):
        day = start + dt.timedelta(days=n)
        _live(programme, day, pain_during=2, morning=4 if n else None)
        if n == 8:
            _accept_first(programme, practitioner_user, day)
    Message.objects.create(patient=settled, origin=Origin.PATIENT, text="骨盤の運動、レベル2も楽にできています。")
    Message.objects.create(patient=settled, origin=Origin.CLINIC, author=practitioner_user,  # type: ignore[misc]
                           text="いいですね。翌朝の痛みが戻っていれば、このまま続けましょう。")  # fmt: skip

    programme = _programme(flaring, start, ("hip_hinge", "single_leg_stance"), 3, practitioner_user)
    for n in range(DAYS - 1):
        day = start + dt.timedelta(days=n)
        flare = n >= DAYS - 3
        _live(programme, day, pain_during=7 if flare else 3, morning=(6 if flare else 3) if n else None, done_every=2)
        if n == 8:
            _accept_first(programme, practitioner_user, day)

    programme = _programme(quiet, start, ("graded_walking", "ankle_rocking"), 5, practitioner_user)
    for n in range(DAYS - 5):
        day = start + dt.timedelta(days=n)
        _live(programme, day, pain_during=4, morning=5 if n else None)
    check_inactivity(today)
