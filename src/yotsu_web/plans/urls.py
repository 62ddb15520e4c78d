from django.urls import path

from yotsu_web.plans import views

app_name = "plans"
urlpatterns = [
    path("c/<slug:slug>/desk/patients/<int:pk>/plan/", views.edit, name="edit"),
]
