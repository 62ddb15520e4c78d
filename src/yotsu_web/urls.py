from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from yotsu_web.api.api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="accounts:home"), name="root"),
    path("accounts/", include("yotsu_web.accounts.urls")),
    path("", include("yotsu_web.clinics.urls")),
    path("", include("yotsu_web.inquiries.urls")),
    path("", include("yotsu_web.selfcheck.urls")),
    path("", include("yotsu_web.assessments.urls")),
    path("", include("yotsu_web.diary.urls")),
    path("", include("yotsu_web.bodymap.urls")),
    path("", include("yotsu_web.desk.urls")),
    path("", include("yotsu_web.exports.urls")),
    path("", include("yotsu_web.plans.urls")),
    path("", include("yotsu_web.explain.urls")),
    path("", include("yotsu_web.api.urls")),
    path("api/v1/", api.urls),
    path("", include("yotsu_web.programme.urls")),
    path("", include("yotsu_web.messaging.urls")),
    path("", include("yotsu_web.reminders.urls")),
    path("", include("yotsu_web.records.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
