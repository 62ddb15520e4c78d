from django.contrib.auth import views as auth_views
from django.urls import path

from yotsu_web.accounts import views
from yotsu_web.accounts.login import EmailOrUsernameForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=EmailOrUsernameForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("home/", views.home, name="home"),
    path("c/<slug:slug>/signup/", views.signup, name="signup"),
    path("c/<slug:slug>/privacy/", views.privacy, name="privacy"),
    path("c/<slug:slug>/me/consent/", views.consent, name="consent"),
    path("c/<slug:slug>/me/consent/agree/", views.agree_consent, name="agree-consent"),
    path("c/<slug:slug>/me/email/send/", views.send_confirmation, name="send-confirmation"),
    path("c/<slug:slug>/me/consent/withdraw/", views.withdraw_consent, name="withdraw-consent"),
]
