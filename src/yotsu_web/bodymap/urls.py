from django.urls import path

from yotsu_web.bodymap import views

app_name = "bodymap"
urlpatterns = [
    path("c/<slug:slug>/me/bodymap/", views.training, name="training"),
    path("c/<slug:slug>/me/bodymap/progress.svg", views.progress, name="progress"),
]
