"""Users (superusers only, Django's defaults) with the patient's identity; consents read-only, per clinic."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yotsu_web.accounts.models import Consent, User
from yotsu_web.clinics.admin import administered_clinics


@admin.register(User)
class YotsuUserAdmin(UserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Patient identity"), {"fields": ("full_name", "furigana", "birth_date", "phone")}),
    )
    list_display = ("username", "full_name", "furigana", "email", "is_staff")
    search_fields = ("username", "full_name", "furigana", "email")


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The record of consents and withdrawals: nobody edits it here."""

    list_display = ("given_at", "patient_ref", "notice_version", "withdrawn_at", "clinic")
    list_filter = ("notice_version",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Consent]:
        return Consent.objects.filter(clinic__in=administered_clinics(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return administered_clinics(request).exists()

    def has_view_permission(self, request: HttpRequest, obj: Consent | None = None) -> bool:
        return administered_clinics(request).exists()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Consent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Consent | None = None) -> bool:
        return False
