from django.urls import path

from yotsu_web.inquiries import line, views

app_name = "inquiries"
urlpatterns = [
    path("c/<slug:slug>/", views.landing, name="landing"),
    path("c/<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("c/<slug:slug>/desk/inquiries/", views.inbox, name="inbox"),
    path("c/<slug:slug>/desk/inquiries/<int:pk>/", views.detail, name="detail"),
    path("line/<slug:slug>/webhook/", line.webhook, name="line-webhook"),
]
