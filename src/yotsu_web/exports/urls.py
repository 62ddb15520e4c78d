from django.urls import path

from yotsu_web.exports import views

app_name = "exports"
urlpatterns = [
    path("c/<slug:slug>/me/data/", views.my_data, name="mine"),
    path("c/<slug:slug>/me/data/questionnaires.fhir.json", views.my_fhir, name="my-fhir"),
    path("c/<slug:slug>/me/data/diary.csv", views.my_diary, name="my-diary"),
    path("c/<slug:slug>/me/data/all.zip", views.my_everything, name="my-everything"),
    path("c/<slug:slug>/me/data/delete/", views.request_deletion, name="request-deletion"),
    path(
        "c/<slug:slug>/desk/patients/<int:pk>/questionnaires.fhir.json",
        views.patient_fhir,
        name="patient-fhir",
    ),
    path("c/<slug:slug>/desk/patients/<int:pk>/diary.csv", views.patient_diary, name="patient-diary"),
    path("c/<slug:slug>/desk/deletions/", views.deletions, name="deletions"),
    path("c/<slug:slug>/desk/deletions/<int:pk>/complete/", views.complete_deletion, name="complete-deletion"),
]
