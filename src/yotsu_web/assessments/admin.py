"""Clinic admins load their licensed questionnaire text here (validated against the instrument)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from yotsu_web.assessments.models import InstrumentText
from yotsu_web.clinics.admin import administered_clinics


@admin.register(InstrumentText)
class InstrumentTextAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("instrument", "clinic", "updated_at")
    fields = ("clinic", "source_yaml")

    def get_queryset(self, request: HttpRequest) -> QuerySet[InstrumentText]:
        return InstrumentText.objects.filter(clinic__in=administered_clinics(request))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "clinic":
            kwargs["queryset"] = administered_clinics(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _allowed(self, request: HttpRequest) -> bool:
        return administered_clinics(request).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)
