"""The practitioner's side: the builder, each patient's adherence and proposals, the clinic's overview."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yotsu.pathway.exercises import Dose, ExerciseCategory, exercise_library
from yotsu.pathway.progression import override_dose
from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import clinic_patient, member_of, post_only
from yotsu_web.clinics.figures import svg_response
from yotsu_web.clinics.lang import current_lang
from yotsu_web.clinics.models import STAFF_ROLES, Membership
from yotsu_web.diary.models import DiaryDay
from yotsu_web.plans.current import current_plan
from yotsu_web.programme.adherence import bars_svg, last_log, weekly, with_sessions_per_week
from yotsu_web.programme.charts import adherence_figure
from yotsu_web.programme.forms import DecideForm, ExerciseRowForm, ProgrammeForm, SettingsForm
from yotsu_web.programme.models import (
    Alert,
    ClinicProgrammeSettings,
    Decision,
    MorningPain,
    Programme,
    ProgrammeExercise,
    Proposal,
)
from yotsu_web.programme.services import apply
from yotsu_web.programme.summary import exercise_summaries
from yotsu_web.referrals.views import needs_clearance

OVERVIEW_WEEKS = 6
PATIENT_WEEKS = 12
CATEGORY_LABELS = {
    ExerciseCategory.TRUNK_SENSORIMOTOR: _("trunk sensorimotor"),
    ExerciseCategory.HIP_SENSORIMOTOR: _("hip sensorimotor"),
    ExerciseCategory.ANKLE_BALANCE: _("ankle and balance"),
    ExerciseCategory.EYE_VESTIBULAR: _("eye movement and vestibular"),
    ExerciseCategory.BREATHING: _("breathing"),
    ExerciseCategory.NERVE_GLIDE: _("nerve glides"),
    ExerciseCategory.GRADED_ACTIVITY: _("graded activity"),
}


@dataclass(frozen=True)
class OverviewRow:
    programme: Programme
    bars: str
    this_week: int | None
    pending: int
    last_log: str


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Every patient with a programme: adherence per week, open proposals, last log; open alerts on top.
    A handful of aggregate queries whatever the number of patients (benchmarks/bench_adherence.py)."""
    staff = member_of(request, slug, STAFF_ROLES)
    record(request, staff.clinic, Action.VIEW, staff.clinic)  # the clinic-wide list of patients' adherence
    today = timezone.localdate()
    programmes = list(
        with_sessions_per_week(Programme.objects.filter(patient__clinic=staff.clinic))
        .select_related("patient__user")
        .order_by("patient__user__username")
    )
    by_patient = weekly(programmes, today, OVERVIEW_WEEKS)
    pending = dict(
        Proposal.objects.filter(patient__clinic=staff.clinic, decision=Decision.PENDING)
        .values("patient_id")
        .annotate(n=Count("pk"))
        .values_list("patient_id", "n")
    )
    label = _("Sessions done per week")
    rows = []
    for p in programmes:
        weeks = by_patient[p.patient_id]
        last = last_log(weeks)
        rows.append(OverviewRow(p, bars_svg(weeks, label), weeks[-1].percent if weeks else None,
                                pending.get(p.patient_id, 0), last.isoformat() if last else "–"))  # fmt: skip
    alerts = Alert.objects.filter(clinic=staff.clinic, resolved_at=None).select_related("patient__user")
    settings_ = ClinicProgrammeSettings.objects.filter(clinic=staff.clinic).first()
    automatic = bool(settings_ and settings_.apply_progressions_automatically)
    context = {
        "clinic": staff.clinic,
        "rows": rows,
        "alerts": alerts,
        "settings_form": SettingsForm(initial={"apply_progressions_automatically": automatic}),
    }
    return render(request, "programme/overview.html", context)


@login_required
def clinic_settings(request: HttpRequest, slug: str) -> HttpResponse:
    staff = member_of(request, slug, STAFF_ROLES)
    if (refused := post_only(request)) is not None:
        return refused
    form = SettingsForm(request.POST)
    if form.is_valid():
        saved, _created = ClinicProgrammeSettings.objects.update_or_create(
            clinic=staff.clinic, defaults=form.cleaned_data
        )
        record(request, staff.clinic, Action.CHANGE, saved)
    return redirect("programme:overview", slug)


def _library(request: HttpRequest) -> list:
    """The library filtered by the search words and the goal (query parameters, never health data)."""
    words = request.GET.get("q", "").strip().lower()
    goal = request.GET.get("goal", "")
    lang = current_lang()
    found = []
    for ex in exercise_library().exercises:
        if goal and ex.category != goal:
            continue
        text = " ".join([ex.id, ex.name("en"), ex.name("ja"), ex.instructions(lang)]).lower()
        if words and words not in text:
            continue
        found.append(ex)
    return found


@dataclass(frozen=True)
class Group:
    """The builder's exercises of one goal, folded under one heading."""

    id: str
    label: str
    rows: list[ExerciseRowForm]
    chosen: int


def _groups(rows: list[ExerciseRowForm]) -> list[Group]:
    by_goal: dict[str, list[ExerciseRowForm]] = {}
    for row in rows:
        by_goal.setdefault(row.exercise.category, []).append(row)
    return [
        Group(id=str(goal), label=str(CATEGORY_LABELS[goal]), rows=found,
              chosen=sum(1 for r in found if (r["include"].value() if r.is_bound else r.initial.get("include"))))
        for goal in CATEGORY_LABELS if (found := by_goal.get(goal))
    ]  # fmt: skip


@login_required
@needs_clearance
def build(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The programme builder: library exercises by goal, doses prefilled from the level and editable."""
    staff, patient = clinic_patient(request, slug, pk)
    programme = Programme.objects.filter(patient=patient).first()
    current = {e.exercise_id: e for e in (programme.exercises.all() if programme else [])}
    plan = current_plan(patient) if programme is None else None  # a first programme starts from the plan's
    suggested = {e.exercise.id for e in plan.plan.exercises} if plan is not None else set()
    shown = _library(request)
    today = timezone.localdate()
    rows = []
    for ex in shown:
        entry = current.get(ex.id)
        level = entry.level if entry else 1
        dose = entry.dose if entry else ex.levels[0].dose
        include = bool(entry and entry.active) or (entry is None and ex.id in suggested)
        initial = {"include": include, "level": level, **dose.model_dump()}
        rows.append(ExerciseRowForm(request.POST if request.method == "POST" else None, exercise=ex, initial=initial))
    latest_pain = DiaryDay.objects.filter(patient=patient, pain_nrs__isnull=False).order_by("-date").first()
    head = ProgrammeForm(
        request.POST if request.method == "POST" else None,
        initial={
            "baseline_pain_nrs": programme.baseline_pain_nrs
            if programme
            else (latest_pain.pain_nrs if latest_pain else 3),
            "start_date": programme.start_date if programme else today,
        },
    )
    if request.method == "POST" and head.is_valid() and all(r.is_valid() for r in rows):
        with transaction.atomic():
            programme = _save(programme, patient, head, rows, request, today)
        return redirect("programme:patient", slug, pk)
    if request.method == "GET":
        record(request, staff.clinic, Action.VIEW, patient)
    context = {
        "clinic": staff.clinic,
        "patient": patient,
        "programme": programme,
        "head": head,
        "rows": rows,
        "groups": _groups(rows),
        "goals": list(CATEGORY_LABELS.items()),
        "q": request.GET.get("q", ""),
        "goal": request.GET.get("goal", ""),
    }
    return render(request, "programme/build.html", context)


def _save(
    programme: Programme | None,
    patient: Membership,
    head: ProgrammeForm,
    rows: list[ExerciseRowForm],
    request: HttpRequest,
    today: object,
) -> Programme:
    created = programme is None
    if programme is None:
        programme = Programme(patient=patient)
    programme.baseline_pain_nrs = head.cleaned_data["baseline_pain_nrs"]
    programme.start_date = head.cleaned_data["start_date"]
    programme.updated_by = request.user  # type: ignore[assignment]
    programme.save()
    record(request, patient.clinic, Action.CREATE if created else Action.CHANGE, programme)
    existing = {e.exercise_id: e for e in programme.exercises.all()}
    for position, row in enumerate(rows):
        if not row.submitted:
            continue
        entry = existing.get(row.exercise.id)
        if not row.cleaned_data["include"]:
            if entry and entry.active:
                entry.active = False
                entry.save(update_fields=["active"])
            continue
        level = row.cleaned_data["level"]
        if entry is None:
            entry = ProgrammeExercise(
                programme=programme, patient=patient, exercise_id=row.exercise.id, level=level, level_since=today
            )
        elif entry.level != level or not entry.active:
            entry.level, entry.level_since = level, today
        entry.active = True
        entry.position = position
        entry.set_dose(row.dose())
        entry.save()
    return programme


def _proposal_rows(patient: Membership) -> list[tuple[Proposal, DecideForm]]:
    pending = Proposal.objects.filter(patient=patient, decision=Decision.PENDING).select_related("entry")
    return [(p, DecideForm(initial={"proposal": p.pk, "action": "accept", "level": p.to_level})) for p in pending]


@login_required
def patient_programme(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One patient's programme: adherence chart, pain during and next morning per exercise, proposals."""
    staff, patient = clinic_patient(request, slug, pk)
    programme = Programme.objects.filter(patient=patient).first()
    record(request, staff.clinic, Action.VIEW, patient)
    context: dict[str, object] = {"clinic": staff.clinic, "patient": patient, "programme": programme}
    if programme is not None:
        context |= {
            "summaries": exercise_summaries(programme),
            "proposals": _proposal_rows(patient),
            "decided": Proposal.objects.filter(patient=patient)
            .exclude(decision__in=[Decision.PENDING, Decision.SUPERSEDED])
            .select_related("entry", "decided_by")[:20],
            "alerts": Alert.objects.filter(patient=patient, resolved_at=None),
            "mornings": MorningPain.objects.filter(patient=patient).order_by("-date")[:14],
        }
    return render(request, "programme/patient.html", context)


@login_required
def chart(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, patient = clinic_patient(request, slug, pk)
    programme = get_object_or_404(Programme, patient=patient)
    record(request, staff.clinic, Action.VIEW, programme)
    weeks = weekly([programme], timezone.localdate(), PATIENT_WEEKS)[patient.pk]
    return svg_response(adherence_figure(weeks))


@login_required
def decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Accept the proposal, or override it with another level and a reason (recorded)."""
    staff, patient = clinic_patient(request, slug, pk)
    if (refused := post_only(request)) is not None:
        return refused
    form = DecideForm(request.POST)
    proposal_id = request.POST.get("proposal", "")
    proposal = get_object_or_404(
        Proposal, pk=int(proposal_id) if proposal_id.isdigit() else 0, patient=patient, decision=Decision.PENDING
    )
    if not form.is_valid():
        context = {"clinic": staff.clinic, "patient": patient, "proposal": proposal, "form": form}
        return render(request, "programme/decide.html", context, status=400)
    entry = proposal.entry
    with transaction.atomic():
        if form.cleaned_data["action"] == "accept":
            apply(
                proposal, entry, request.user, Decision.ACCEPTED, level=proposal.to_level, dose=Dose(**proposal.to_dose)
            )
        else:
            level = min(form.cleaned_data["level"], len(entry.exercise.levels))
            dose = override_dose(entry.exercise, entry.level, entry.dose, level)
            apply(
                proposal,
                entry,
                request.user,
                Decision.OVERRIDDEN,
                level=level,
                dose=dose,
                reason=form.cleaned_data["reason"].strip(),
            )
        record(request, staff.clinic, Action.CHANGE, proposal)
    return redirect("programme:patient", slug, pk)


@login_required
def resolve_alert(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, patient = clinic_patient(request, slug, pk)
    if (refused := post_only(request)) is not None:
        return refused
    alert_id = request.POST.get("alert", "")
    alert = get_object_or_404(Alert, pk=int(alert_id) if alert_id.isdigit() else 0, patient=patient, resolved_at=None)
    alert.resolved_at, alert.resolved_by = timezone.now(), request.user
    alert.save(update_fields=["resolved_at", "resolved_by"])
    record(request, staff.clinic, Action.CHANGE, alert)
    if request.POST.get("next") == "overview":
        return redirect("programme:overview", slug)
    return redirect("programme:patient", slug, pk)
