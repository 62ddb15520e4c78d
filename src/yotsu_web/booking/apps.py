from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "yotsu_web.booking"
    verbose_name = _("booking")
