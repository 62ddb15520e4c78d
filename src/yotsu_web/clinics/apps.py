from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "yotsu_web.clinics"
    label = "clinics"
