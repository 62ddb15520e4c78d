"""``yotsu serve --production``: the web app under gunicorn and the queue worker, from the environment.

Two child processes: gunicorn (``yotsu_web.wsgi``; static files by WhiteNoise) and the Huey consumer
(``run_huey``). Both read the same settings (``_config``). Ctrl-C or SIGTERM stops both gracefully:
gunicorn finishes the requests in flight, the worker finishes the task in hand (a delivery it could not
finish is released by its lease, see ``messaging.deliver``). If one child dies, the other is stopped and
the exit status says so, so a service manager restarts the pair.

Environment (besides the app's own settings in ``_config``):

``YOTSU_BIND``           address:port gunicorn listens on (default ``127.0.0.1:8000``)
``YOTSU_WEB_WORKERS``    gunicorn worker processes (default one per core, at least 2, at most 8)
``YOTSU_WEB_THREADS``    threads per worker process (default 16; each may hold a database connection)
``YOTSU_QUEUE_WORKERS``  queue worker threads (default 2)
``YOTSU_STOP_TIMEOUT_S`` seconds each child gets to finish its work on stop (default 20)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass

from yotsu_web._config import ConfigError, parse_int


@dataclass(frozen=True)
class ServerSettings:
    bind: str
    web_workers: int
    web_threads: int
    queue_workers: int
    stop_timeout_s: int


def server_settings(env: Mapping[str, str] | None = None) -> ServerSettings:
    env = os.environ if env is None else env
    bind = env.get("YOTSU_BIND", "127.0.0.1:8000").strip()
    host, sep, port = bind.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"YOTSU_BIND={bind!r} is not address:port (for example 127.0.0.1:8000).")
    # One process per core (more only time-slice the same CPUs, and each keeps its own cache), many threads
    # each: a request mostly waits for the database, and under load a short request (a diary write) then
    # runs beside the long ones instead of queueing behind them. Measured in benchmarks/bench_load.py.
    default_workers = max(2, min(os.cpu_count() or 1, 8))
    return ServerSettings(
        bind=bind,
        web_workers=parse_int(env, "YOTSU_WEB_WORKERS", default_workers, minimum=1),
        web_threads=parse_int(env, "YOTSU_WEB_THREADS", 16, minimum=1),
        queue_workers=parse_int(env, "YOTSU_QUEUE_WORKERS", 2, minimum=1),
        stop_timeout_s=parse_int(env, "YOTSU_STOP_TIMEOUT_S", 20, minimum=1),
    )


def commands(server: ServerSettings) -> dict[str, list[str]]:
    """The two child command lines (also what an operator would put in two service units)."""
    return {
        "web": [
            sys.executable, "-m", "gunicorn", "yotsu_web.wsgi:application",
            "--bind", server.bind,
            "--workers", str(server.web_workers),
            "--threads", str(server.web_threads),
            "--worker-class", "gthread",
            "--graceful-timeout", str(server.stop_timeout_s),
            "--timeout", "60",
        ],
        "worker": [
            sys.executable, "-m", "yotsu_web", "run_huey",
            "--workers", str(server.queue_workers),
            "--worker-type", "thread",
            "--shutdown-timeout", str(server.stop_timeout_s),
        ],
    }  # fmt: skip


# The signal each child treats as "finish what you are doing, then stop".
_GRACEFUL = {"web": signal.SIGTERM, "worker": signal.SIGINT}


def main(migrate: bool = True) -> int:
    """Check the settings, migrate, start both children and wait; returns the exit status."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yotsu_web.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    from yotsu_web._config import refuse_public_secret_key

    try:
        server = server_settings()
        django.setup()
        refuse_public_secret_key(settings.CONFIG)
    except ConfigError as error:
        print(f"yotsu serve --production: {error}", file=sys.stderr)
        return 2
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    children = {name: subprocess.Popen(argv) for name, argv in commands(server).items()}
    stopping: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    print(f"Yotsu serving on http://{server.bind}/ (gunicorn pid {children['web'].pid}, "
          f"queue worker pid {children['worker'].pid}); Ctrl-C stops both.", flush=True)  # fmt: skip
    status = 0
    try:
        while not stopping:
            dead = [name for name, child in children.items() if child.poll() is not None]
            if dead:
                print(f"yotsu serve --production: the {dead[0]} process exited; stopping.", file=sys.stderr)
                status = 1
                break
            time.sleep(0.2)
    finally:
        for name, child in children.items():
            if child.poll() is None:
                child.send_signal(_GRACEFUL[name])
        deadline = time.monotonic() + server.stop_timeout_s + 5
        for child in children.values():
            try:
                child.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
                status = status or 1
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status
