from django.contrib import admin
from django.urls import include, path

from yotsu_web.api.api import api
from yotsu_web.public.views import root

urlpatterns = [
    path("", root, name="root"),
    path("accounts/", include("yotsu_web.accounts.urls")),
    path("accounts/", include("yotsu_web.accounts.reset_urls")),
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
    path("", include("yotsu_web.forecast.urls")),
    path("", include("yotsu_web.api.urls")),
    path("api/v1/", api.urls),
    path("", include("yotsu_web.programme.urls")),
    path("", include("yotsu_web.messaging.urls")),
    path("", include("yotsu_web.reminders.urls")),
    path("", include("yotsu_web.records.urls")),
    path("", include("yotsu_web.referrals.urls")),
    path("", include("yotsu_web.public.urls")),
    path("", include("yotsu_web.booking.urls")),
    path("", include("yotsu_web.intake.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
