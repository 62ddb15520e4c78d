from django.urls import path

from yotsu_web.diary import views

app_name = "diary"
urlpatterns = [
    path("c/<slug:slug>/me/diary/", views.diary, name="diary"),
    path("c/<slug:slug>/me/diary/chart.svg", views.chart, name="chart"),
    path("c/<slug:slug>/me/diary/symptoms/", views.symptoms, name="symptoms"),
]
