from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForecastConfig(AppConfig):
    name = "yotsu_web.forecast"
    verbose_name = _("personal forecast")
