from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "yotsu_web.records"
    label = "records"
    verbose_name = _("visit records")
