from django.urls import path

from yotsu_web.selfcheck import views

app_name = "selfcheck"
urlpatterns = [
    path("c/<slug:slug>/selfcheck/", views.start, name="start"),
    path("c/<slug:slug>/selfcheck/save/", views.save, name="save"),
]
