from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "yotsu_web.public"
    verbose_name = _("public page")
