from django.urls import path

from yotsu_web.records import views

app_name = "records"
urlpatterns = [
    path("c/<slug:slug>/desk/patients/<int:pk>/visits/", views.visits, name="visits"),
    path("c/<slug:slug>/desk/patients/<int:pk>/pain-drawing.svg", views.chart, name="chart"),
    path("c/<slug:slug>/desk/visits/<int:pk>/", views.detail, name="detail"),
    path("c/<slug:slug>/desk/visits/<int:pk>/edit/", views.edit, name="edit"),
    path("c/<slug:slug>/desk/visits/<int:pk>/amend/", views.amend, name="amend"),
    path("c/<slug:slug>/desk/visits/<int:pk>/pain-drawing.json", views.fhir, name="fhir"),
]
