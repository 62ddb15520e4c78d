from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExplainConfig(AppConfig):
    name = "yotsu_web.explain"
    verbose_name = _("personal explanation")

    def ready(self) -> None:
        from yotsu_web.explain import signals

        signals.connect()
