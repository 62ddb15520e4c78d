"""The visit record (施術記録): SOAP notes, what was done, pain before and after, in-clinic tests and
the pain drawing. Editable by its author for the clinic's edit window; after that only amended.

The rule lives here, in the model layer, so no view, form, admin or script can rewrite a locked
record: :meth:`VisitRecord.save` refuses a change to a locked record's content, and
:meth:`VisitRecord.amend` is the only way to change it then, leaving an :class:`Amendment` with the
old and new values, who and why. ``QuerySet.update`` is refused for the same reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.diary import PRESSURE_KINDS, SessionKind
from yotsu.pathway.pain_drawing import PainExtent, pain_extent
from yotsu_web.diary.models import SESSION_KIND_LABELS

ZERO_TO_TEN = (MinValueValidator(0), MaxValueValidator(10))
DEFAULT_EDIT_WINDOW_HOURS = 24
CONTENT_FIELDS = (
    "visit_date", "subjective", "objective", "assessment", "plan", "session_kind", "pressure",
    "pain_before", "pain_after", "in_clinic_tests", "pain_regions",
)  # fmt: skip


class RecordLockedError(ValidationError):
    """A change to a visit record outside its author's edit window, without an amendment."""


class RecordSettings(models.Model):
    """How long a clinic lets the author edit a visit record before it can only be amended."""

    clinic = models.OneToOneField("clinics.Clinic", on_delete=models.CASCADE, related_name="record_settings")
    edit_window_hours = models.PositiveSmallIntegerField(
        _("edit window (hours)"),
        default=DEFAULT_EDIT_WINDOW_HOURS,
        validators=(MinValueValidator(0), MaxValueValidator(24 * 14)),
        help_text=_("How long the author may correct a visit record; after that it is changed only by amendment."),
    )

    class Meta:
        verbose_name = _("visit record settings")
        verbose_name_plural = _("visit record settings")

    def __str__(self) -> str:
        return f"record settings #{self.pk}"


def edit_window(clinic: Any) -> dt.timedelta:
    row = RecordSettings.objects.filter(clinic=clinic).first()
    return dt.timedelta(hours=row.edit_window_hours if row else DEFAULT_EDIT_WINDOW_HOURS)


class NoUpdateQuerySet(models.QuerySet["VisitRecord"]):
    def update(self, **kwargs: Any) -> int:
        raise RecordLockedError(_("Visit records are changed one by one (edit or amend), never in bulk."))


class VisitRecord(models.Model):
    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="visit_records")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visit_date = models.DateField(_("visit date"))
    subjective = models.TextField(_("S: subjective (what the patient reports)"), max_length=5000, blank=True)
    objective = models.TextField(_("O: objective (what was found)"), max_length=5000, blank=True)
    assessment = models.TextField(_("A: assessment"), max_length=5000, blank=True)
    plan = models.TextField(_("P: plan"), max_length=5000, blank=True)
    session_kind = models.CharField(
        _("what was done"), max_length=24, choices=list(SESSION_KIND_LABELS.items()), blank=True
    )
    pressure = models.PositiveSmallIntegerField(
        _("pressure as the patient felt it (0-10)"), null=True, blank=True, validators=ZERO_TO_TEN,
        help_text=_("For massage and gentle manual therapy only."),
    )  # fmt: skip
    pain_before = models.PositiveSmallIntegerField(
        _("pain before (0-10)"), null=True, blank=True, validators=ZERO_TO_TEN
    )
    pain_after = models.PositiveSmallIntegerField(_("pain after (0-10)"), null=True, blank=True, validators=ZERO_TO_TEN)
    in_clinic_tests = models.TextField(_("in-clinic tests and findings"), max_length=5000, blank=True)
    pain_regions = models.JSONField(_("pain drawing"), default=list, blank=True)
    # The drawing's extent, computed by the pathway on every save (never entered by hand).
    body_share = models.FloatField(default=0.0, editable=False)
    n_regions = models.PositiveSmallIntegerField(default=0, editable=False)
    widespread = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NoUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit record")
        verbose_name_plural = _("visit records")
        ordering = ("-visit_date", "-pk")

    def __str__(self) -> str:
        return f"visit record #{self.pk}"

    # --- the rules ---
    def locked_at(self) -> dt.datetime:
        return self.created_at + edit_window(self.patient.clinic)

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.locked_at()

    def can_edit(self, user: Any, now: dt.datetime | None = None) -> bool:
        return user.pk == self.author_id and not self.is_locked(now)

    def extent(self) -> PainExtent:
        return pain_extent(self.pain_regions)

    def clean(self) -> None:
        if self.pressure is not None and self.session_kind not in PRESSURE_KINDS:
            raise ValidationError({"pressure": _("Pressure is recorded for massage and gentle manual therapy only.")})
        try:
            self.extent()
        except ValueError as exc:
            raise ValidationError({"pain_regions": str(exc)}) from exc

    def _content(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in CONTENT_FIELDS}

    def save(self, *args: Any, _amendment: bool = False, **kwargs: Any) -> None:
        if self.pk is not None and not _amendment:
            stored = type(self).objects.get(pk=self.pk)
            if stored._content() != self._content() and stored.is_locked():
                raise RecordLockedError(_("This visit record is past its edit window; add an amendment instead."))
        extent = self.extent()
        self.body_share, self.n_regions, self.widespread = extent.body_share, extent.n_regions, extent.widespread
        super().save(*args, **kwargs)

    def edit(self, user: Any, **changes: Any) -> None:
        """The author's correction inside the edit window."""
        if not self.can_edit(user):
            raise RecordLockedError(_("Only the author may edit a visit record, and only within the edit window."))
        for field, value in changes.items():
            setattr(self, field, value)
        self.full_clean()
        self.save()

    def amend(self, user: Any, reason: str, **changes: Any) -> Amendment:
        """Change the record with a visible amendment: who, when, why, and each field's old and new value."""
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the record is amended.")})
        unknown = set(changes) - set(CONTENT_FIELDS)
        if unknown:
            raise ValidationError(_("Unknown field(s): %(fields)s") % {"fields": ", ".join(sorted(unknown))})
        before = self._content()
        for field, value in changes.items():
            setattr(self, field, value)
        self.full_clean()
        after = self._content()
        changed = {f: [_plain(before[f]), _plain(after[f])] for f in CONTENT_FIELDS if before[f] != after[f]}
        if not changed:
            raise ValidationError(_("The amendment changes nothing."))
        with transaction.atomic():
            self.save(_amendment=True)
            return Amendment.objects.create(record=self, author=user, reason=reason.strip(), changes=changed)

    def clinic_session(self) -> tuple[SessionKind, float | None, float | None] | None:
        """What the escalation detector needs: kind, pressure and the immediate relief (pain before
        minus pain after, 0 when it did not fall); ``None`` when no session kind was recorded."""
        if not self.session_kind:
            return None
        relief = None
        if self.pain_before is not None and self.pain_after is not None:
            relief = float(max(0, self.pain_before - self.pain_after))
        return SessionKind(self.session_kind), None if self.pressure is None else float(self.pressure), relief


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


class Amendment(models.Model):
    """A visible change to a locked visit record; never edited or deleted."""

    record = models.ForeignKey(VisitRecord, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason for the amendment"), max_length=2000)
    changes = models.JSONField(default=dict)  # field -> [old, new]
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"amendment #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RecordLockedError(_("An amendment is never changed; add another one."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RecordLockedError(_("An amendment is never deleted."))
