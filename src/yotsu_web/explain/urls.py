from django.urls import path

from yotsu_web.explain import views

app_name = "explain"
urlpatterns = [
    path("c/<slug:slug>/me/explanation/", views.mine, name="mine"),
    path("c/<slug:slug>/me/explanation/questions/", views.questions, name="questions"),
    path("c/<slug:slug>/me/explanation/course.svg", views.my_course, name="my-course"),
    path("c/<slug:slug>/me/explanation/factors.svg", views.my_factors, name="my-factors"),
    path("c/<slug:slug>/desk/patients/<int:pk>/explanation/", views.patient, name="patient"),
    path("c/<slug:slug>/desk/patients/<int:pk>/explanation/retry/", views.retry, name="retry"),
    path("c/<slug:slug>/desk/patients/<int:pk>/explanation/course.svg", views.patient_course, name="patient-course"),
    path("c/<slug:slug>/desk/patients/<int:pk>/explanation/factors.svg", views.patient_factors, name="patient-factors"),
]
