from django.urls import path

from yotsu_web.clinics import views

app_name = "clinics"
urlpatterns = [
    path("c/<slug:slug>/me/", views.portal, name="portal"),
    path("c/<slug:slug>/me/words/", views.words, name="words"),
]
