from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yotsu_web.accounts"
    label = "accounts"
