"""Where red-flag alerts are pushed by LINE, in the Django admin, scoped like the clinic itself."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from yotsu_web.clinics.admin import administered_clinics
from yotsu_web.referrals.models import AlertContact


@admin.register(AlertContact)
class AlertContactAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("clinic", "line_user_id")
    fields = ("clinic", "line_user_id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AlertContact]:
        return AlertContact.objects.filter(clinic__in=administered_clinics(request))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "clinic":
            kwargs["queryset"] = administered_clinics(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _administers(self, request: HttpRequest, obj: AlertContact | None) -> bool:
        clinics = administered_clinics(request)
        return clinics.filter(pk=obj.clinic_id).exists() if obj is not None else clinics.exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._administers(request, None)

    def has_view_permission(self, request: HttpRequest, obj: AlertContact | None = None) -> bool:
        return self._administers(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: AlertContact | None = None) -> bool:
        return self._administers(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._administers(request, None)

    def has_delete_permission(self, request: HttpRequest, obj: AlertContact | None = None) -> bool:
        return self._administers(request, obj)
