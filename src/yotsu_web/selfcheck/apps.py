from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfCheckConfig(AppConfig):
    name = "yotsu_web.selfcheck"
    label = "selfcheck"
    verbose_name = _("self-check")
