"""``python -m yotsu_web <command>``: Django's manage.py for Yotsu, plus ``demo``."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    if sys.argv[1:2] == ["demo"]:
        from yotsu_web.demo import main as demo

        raise SystemExit(demo(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yotsu_web.settings")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
