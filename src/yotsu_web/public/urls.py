from django.urls import path

from yotsu_web.public import views

app_name = "public"
urlpatterns = [
    path("c/<slug:slug>/info/", views.clinic_page, name="clinic"),
    path("clinics/", views.clinic_list, name="clinics"),
]
