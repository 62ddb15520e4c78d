from django.urls import path

from yotsu_web.referrals import views

app_name = "referrals"
urlpatterns = [
    path("c/<slug:slug>/me/referral/", views.referral, name="referral"),
    path("c/<slug:slug>/desk/patients/<int:pk>/clearance/", views.clearance, name="clearance"),
]
