from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExplainConfig(AppConfig):
    name = "yotsu_web.explain"
    verbose_name = _("personal explanation")
