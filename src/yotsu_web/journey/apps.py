from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneyConfig(AppConfig):
    name = "yotsu_web.journey"
    verbose_name = _("patient journey")
