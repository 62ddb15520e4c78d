from django.urls import path

from yotsu_web.api import views

app_name = "tokens"
urlpatterns = [
    path("accounts/tokens/", views.tokens, name="list"),
    path("accounts/tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
]
