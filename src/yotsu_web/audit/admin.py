"""Read-only audit trail in the admin, limited to the clinics the user administers."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from yotsu_web.audit.models import AuditEvent
from yotsu_web.clinics.admin import administered_clinics


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "actor", "action", "subject_type", "subject_id", "clinic")
    list_filter = ("action", "subject_type")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        return AuditEvent.objects.filter(clinic__in=administered_clinics(request)).select_related("actor")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return administered_clinics(request).exists()

    def has_view_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return administered_clinics(request).exists()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
