"""The clinic's LINE channel access token, in the Django admin, scoped like the clinic itself; write-only
(never shown back, see ``WriteOnlySecretsForm``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from yotsu_web.clinics.admin import WriteOnlySecretsForm, administered_clinics
from yotsu_web.messaging.models import LineChannel


class LineChannelForm(WriteOnlySecretsForm):
    SECRETS = ("access_token",)

    class Meta:
        model = LineChannel
        fields = ("clinic", "access_token")


@admin.register(LineChannel)
class LineChannelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = LineChannelForm
    list_display = ("clinic",)
    fields = ("clinic", "access_token")

    def get_queryset(self, request: HttpRequest) -> QuerySet[LineChannel]:
        return LineChannel.objects.filter(clinic__in=administered_clinics(request))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "clinic":
            kwargs["queryset"] = administered_clinics(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _administers(self, request: HttpRequest, obj: LineChannel | None) -> bool:
        clinics = administered_clinics(request)
        return clinics.filter(pk=obj.clinic_id).exists() if obj is not None else clinics.exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._administers(request, None)

    def has_view_permission(self, request: HttpRequest, obj: LineChannel | None = None) -> bool:
        return self._administers(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: LineChannel | None = None) -> bool:
        return self._administers(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._administers(request, None)

    def has_delete_permission(self, request: HttpRequest, obj: LineChannel | None = None) -> bool:
        return self._administers(request, obj)
