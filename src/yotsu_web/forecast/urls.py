from django.urls import path

from yotsu_web.forecast import views

app_name = "forecast"
urlpatterns = [
    path("c/<slug:slug>/me/forecast/", views.mine, name="mine"),
    path("c/<slug:slug>/me/forecast/fan.svg", views.my_fan, name="my-fan"),
    path("c/<slug:slug>/desk/patients/<int:pk>/forecast/", views.patient, name="patient"),
    path("c/<slug:slug>/desk/patients/<int:pk>/forecast/fan.svg", views.patient_fan, name="patient-fan"),
]
