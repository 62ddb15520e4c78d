from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "yotsu_web.plans"
    verbose_name = _("care plans")
