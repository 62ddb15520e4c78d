from django.urls import path

from yotsu_web.intake import views

app_name = "intake"
urlpatterns = [
    path("c/<slug:slug>/bookings/<int:pk>/intake/", views.fill, name="fill"),
    path("c/<slug:slug>/desk/bookings/<int:pk>/intake/", views.desk, name="desk"),
]
