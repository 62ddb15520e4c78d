from django.urls import path

from yotsu_web.programme import sheet, views_desk, views_patient

app_name = "programme"
urlpatterns = [
    path("c/<slug:slug>/me/exercises/", views_patient.today, name="today"),
    path("c/<slug:slug>/me/exercises/log/", views_patient.log_session, name="log"),
    path("c/<slug:slug>/me/exercises/morning/", views_patient.log_morning, name="morning"),
    path("c/<slug:slug>/me/exercises/sheet/", sheet.my_sheet, name="sheet"),
    path("c/<slug:slug>/me/exercises/sheet.pdf", sheet.my_sheet_pdf, name="sheet-pdf"),
    path("c/<slug:slug>/desk/programmes/", views_desk.overview, name="overview"),
    path("c/<slug:slug>/desk/programmes/settings/", views_desk.clinic_settings, name="settings"),
    path("c/<slug:slug>/desk/patients/<int:pk>/programme/", views_desk.patient_programme, name="patient"),
    path("c/<slug:slug>/desk/patients/<int:pk>/programme/build/", views_desk.build, name="build"),
    path("c/<slug:slug>/desk/patients/<int:pk>/programme/adherence.svg", views_desk.chart, name="chart"),
    path("c/<slug:slug>/desk/patients/<int:pk>/programme/decide/", views_desk.decide, name="decide"),
    path("c/<slug:slug>/desk/patients/<int:pk>/programme/alerts/", views_desk.resolve_alert, name="resolve-alert"),
    path("c/<slug:slug>/desk/patients/<int:pk>/programme/sheet.pdf", sheet.patient_sheet_pdf, name="patient-sheet-pdf"),
]
