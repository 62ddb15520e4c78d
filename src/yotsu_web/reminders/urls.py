from django.urls import path

from yotsu_web.reminders import views

app_name = "reminders"
urlpatterns = [
    path("c/<slug:slug>/me/reminders/", views.reminder_settings, name="settings"),
]
