from django.urls import path

from yotsu_web.clinics import views

app_name = "clinics"
urlpatterns = [
    path("c/<slug:slug>/me/", views.portal, name="portal"),
    path("c/<slug:slug>/desk/patients/", views.patients, name="patients"),
    path("c/<slug:slug>/desk/patients/<int:pk>/", views.patient, name="patient"),
]
