from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodyMapConfig(AppConfig):
    name = "yotsu_web.bodymap"
    label = "bodymap"
    verbose_name = _("body map")
