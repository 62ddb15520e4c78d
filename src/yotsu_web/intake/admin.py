"""The clinic's choice of intake questionnaires, scoped to the clinics the admin runs."""

from __future__ import annotations

from django.contrib import admin

from yotsu_web.booking.admin import ClinicScoped
from yotsu_web.intake.models import IntakeSettings


@admin.register(IntakeSettings)
class IntakeSettingsAdmin(ClinicScoped):
    list_display = ("clinic", "instruments")
