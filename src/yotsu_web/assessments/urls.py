from django.urls import path

from yotsu_web.assessments import plan, views

app_name = "assessments"
urlpatterns = [
    path("c/<slug:slug>/me/questionnaires/", views.questionnaires, name="list"),
    path("c/<slug:slug>/me/questionnaires/start/", views.start, name="start"),
    path("c/<slug:slug>/me/questionnaires/<int:pk>/", views.fill, name="fill"),
    path("c/<slug:slug>/me/plan/", plan.plan, name="plan"),
]
