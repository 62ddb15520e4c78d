from django.core.management.base import BaseCommand

from yotsu_web.programme.services import check_inactivity
from yotsu_web.reminders.due import dispatch


class Command(BaseCommand):
    help = "Queue due reminders and raise three-days-without-a-log alerts now (the worker does this on its own)."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"reminders queued: {dispatch()}; inactivity alerts: {check_inactivity()}")
