from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "yotsu_web.programme"
    verbose_name = _("home programme")
