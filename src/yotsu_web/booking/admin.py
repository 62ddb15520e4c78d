"""Admin for a clinic's visit types, weekly availability and time off, scoped like the clinic's settings."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from yotsu_web.booking.models import Availability, TimeOff, VisitType
from yotsu_web.clinics.admin import administered_clinics


class ClinicScoped(admin.ModelAdmin):  # type: ignore[type-arg]
    clinic_path = "clinic"

    def get_queryset(self, request: HttpRequest) -> QuerySet:  # type: ignore[type-arg]
        return super().get_queryset(request).filter(**{f"{self.clinic_path}__in": administered_clinics(request)})

    def has_module_permission(self, request: HttpRequest) -> bool:
        return administered_clinics(request).exists()

    has_view_permission = has_change_permission = has_add_permission = has_delete_permission = (  # type: ignore[assignment]
        lambda self, request, obj=None: administered_clinics(request).exists()
    )


@admin.register(VisitType)
class VisitTypeAdmin(ClinicScoped):
    list_display = ("name", "clinic", "minutes", "price_yen", "first_visit", "active")


@admin.register(Availability)
class AvailabilityAdmin(ClinicScoped):
    clinic_path = "practitioner__clinic"
    list_display = ("practitioner", "weekday", "start", "end")


@admin.register(TimeOff)
class TimeOffAdmin(ClinicScoped):
    list_display = ("clinic", "practitioner", "starts_at", "ends_at", "reason")
