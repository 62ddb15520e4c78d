from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yotsu_web.audit"
    label = "audit"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from yotsu_web.pglog import on_connection_created

        # No health data in the PostgreSQL server's log (yotsu_web.pglog).
        connection_created.connect(on_connection_created, dispatch_uid="yotsu-quiet-pg-log")
