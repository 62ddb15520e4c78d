from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "yotsu_web.desk"
    label = "desk"
    verbose_name = _("practitioner's desk")
