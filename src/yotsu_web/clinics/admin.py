"""Django admin for a clinic's own settings.

Superusers see every clinic. A clinic admin (``Role.ADMIN`` membership plus ``is_staff``)
sees and changes only the clinics they administer, and cannot add or delete clinics.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yotsu_web.clinics.models import Clinic, Membership, Role


class WriteOnlySecretsForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form whose ``SECRETS`` are write-only: the page never holds the stored value (not even
    masked), an empty box keeps it, a new value replaces it. Each secret named in ``CLEARABLE`` has a
    "remove" box (``<name>_clear``) to empty it on purpose."""

    SECRETS: tuple[str, ...] = ()
    CLEARABLE: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.SECRETS:
            field = self.fields[name]
            field.widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
            stored = bool(self.instance.pk and getattr(self.instance, name))
            field.required = field.required and not stored
            if stored:
                kept = _("A value is stored and is not shown. Leave empty to keep it, or type a new one.")
                field.help_text = f"{field.help_text} {kept}".strip()
            self.initial[name] = ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.SECRETS:
            if name in self.CLEARABLE and cleaned.get(f"{name}_clear"):
                cleaned[name] = ""
            elif not cleaned.get(name) and self.instance.pk:
                cleaned[name] = getattr(type(self.instance).objects.get(pk=self.instance.pk), name)
        return cleaned


class ClinicForm(WriteOnlySecretsForm):
    SECRETS = ("line_channel_secret",)
    CLEARABLE = ("line_channel_secret",)
    line_channel_secret_clear = forms.BooleanField(
        label=_("Remove the LINE channel secret (turns the LINE webhook off)"), required=False
    )

    class Meta:
        model = Clinic
        fields = ("line_channel_secret",)  # the admin adds the fieldsets' fields


def administered_clinics(request: HttpRequest) -> QuerySet[Clinic]:
    if request.user.is_superuser:
        return Clinic.objects.all()
    return Clinic.objects.filter(memberships__user_id=request.user.pk, memberships__role=Role.ADMIN)


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fields = ("user", "role", "created_at")
    readonly_fields = ("user", "created_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ClinicForm
    list_display = ("name", "slug", "language")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    *("name", "slug", "language", "notification_email"),
                    *("line_channel_secret", "line_channel_secret_clear"),
                )
            },
        ),
        (
            _("Public page"),
            {
                "fields": (
                    *("description", "description_en", "postal_code", "address", "map_url", "phone"),
                    *("hours", "holidays", "line_add_friend_url"),
                )
            },
        ),
        (
            _("Booking"),
            {"fields": ("booking_cutoff_hours", "booking_horizon_days", "booking_step_minutes", "reminder_time")},
        ),
        (_("Sessions"), {"fields": ("staff_idle_minutes", "patient_idle_minutes")}),
    )
    inlines = (MembershipInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Clinic]:
        return administered_clinics(request)

    def _administers(self, request: HttpRequest, obj: Clinic | None) -> bool:
        clinics = administered_clinics(request)
        return clinics.filter(pk=obj.pk).exists() if obj is not None else clinics.exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._administers(request, None)

    def has_view_permission(self, request: HttpRequest, obj: Clinic | None = None) -> bool:
        return self._administers(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Clinic | None = None) -> bool:
        return self._administers(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Clinic | None = None) -> bool:
        return bool(request.user.is_superuser)
