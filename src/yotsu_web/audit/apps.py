from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yotsu_web.audit"
    label = "audit"
