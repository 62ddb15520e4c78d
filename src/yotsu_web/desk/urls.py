from django.urls import path

from yotsu_web.desk import views

app_name = "desk"
urlpatterns = [
    path("c/<slug:slug>/desk/patients/", views.patients, name="patients"),
    path("c/<slug:slug>/desk/patients/<int:pk>/", views.patient, name="patient"),
    path("c/<slug:slug>/desk/patients/<int:pk>/notes/", views.note, name="note"),
    path("c/<slug:slug>/desk/patients/<int:pk>/bodymap-tests/", views.clinic_test, name="clinic-test"),
    path("c/<slug:slug>/desk/patients/<int:pk>/diary.svg", views.chart, name="chart"),
]
