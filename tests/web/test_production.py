"""The production server: gunicorn + the queue worker from ``yotsu serve --production``, static files with
DEBUG off, the TLS-proxy redirect, SQLite settings that hold under load, and no start on a public key."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client, override_settings

from yotsu_web._config import ConfigError, load, refuse_public_secret_key
from yotsu_web.production import ServerSettings, commands, server_settings

PG = "postgres://u:p@db.internal/yotsu"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YOTSU_", "DATABASE_URL", "DJANGO_"))}
    env.update({"YOTSU_DATA_DIR": str(data_dir), **extra})
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    return env


def test_public_secret_key_is_refused_unless_debugging_on_sqlite(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="YOTSU_SECRET_KEY is not set"):
        refuse_public_secret_key(load({"YOTSU_DATA_DIR": str(tmp_path)}))  # SQLite, DEBUG off
    with pytest.raises(ConfigError, match="YOTSU_SECRET_KEY is not set"):
        refuse_public_secret_key(load({"YOTSU_DEBUG": "1", "DATABASE_URL": PG}))  # DEBUG on PostgreSQL
    refuse_public_secret_key(load({"YOTSU_DEBUG": "1", "YOTSU_DATA_DIR": str(tmp_path)}))
    refuse_public_secret_key(load({"YOTSU_SECRET_KEY": "k" * 40, "DATABASE_URL": PG}))


def test_sqlite_waits_for_the_write_lock_in_wal_and_postgresql_is_untouched(tmp_path: Path) -> None:
    options = load({"YOTSU_DATA_DIR": str(tmp_path)}).database["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] == 20
    assert "journal_mode=WAL" in options["init_command"]
    assert "init_command" not in load({"DATABASE_URL": PG}).database.get("OPTIONS", {})


def test_server_settings_are_strict() -> None:
    assert server_settings({"YOTSU_BIND": "0.0.0.0:8080", "YOTSU_WEB_WORKERS": "3"}).web_workers == 3
    with pytest.raises(ConfigError, match="YOTSU_BIND='8080'"):
        server_settings({"YOTSU_BIND": "8080"})
    with pytest.raises(ConfigError, match="YOTSU_QUEUE_WORKERS=0 is below"):
        server_settings({"YOTSU_QUEUE_WORKERS": "0"})
    web = commands(ServerSettings("127.0.0.1:9000", 2, 4, 1, 20))["web"]
    assert web[web.index("--bind") + 1] == "127.0.0.1:9000" and "yotsu_web.wsgi:application" in web


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_a_tls_proxy_https_requests_are_served_and_plain_http_redirected(client: Client) -> None:
    assert client.get("/accounts/login/", headers={"x-forwarded-proto": "https"}).status_code == 200
    plain = client.get("/accounts/login/", headers={"x-forwarded-proto": "http"})
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/accounts/login/"


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=None)
def test_without_the_proxy_setting_a_forged_forwarded_header_is_ignored(client: Client) -> None:
    assert client.get("/accounts/login/", headers={"x-forwarded-proto": "https"}).status_code == 301


def test_tls_proxy_setting_is_read_from_the_environment() -> None:
    assert load({"YOTSU_TLS_PROXY": "1"}).tls_proxy is True and load({}).tls_proxy is False


def test_production_refuses_the_public_key_before_touching_the_database(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "yotsu.cli", "serve", "--production"],
        env=_server_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "YOTSU_SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "yotsu.sqlite3").exists()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_production_server_serves_pages_and_static_files_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    env = _server_env(
        tmp_path,
        YOTSU_SECRET_KEY="s" * 50,
        YOTSU_BIND=f"127.0.0.1:{port}",
        YOTSU_WEB_WORKERS="1",
        YOTSU_WEB_THREADS="2",
        YOTSU_QUEUE_WORKERS="1",
        YOTSU_STOP_TIMEOUT_S="5",
    )
    server = subprocess.Popen([sys.executable, "-m", "yotsu.cli", "serve", "--production"], env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _ = _get(f"{base}/accounts/login/")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.3)
        assert status == 200
        css_status, css = _get(f"{base}/static/yotsu_web/site.css")
        assert css_status == 200 and b"{" in css  # WhiteNoise, DEBUG off
        assert _get(f"{base}/static/no-such-file.js")[0] == 404
        with sqlite3.connect(tmp_path / "yotsu.sqlite3") as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_demo_server_with_its_in_process_worker_stops_on_ctrl_c_and_sigterm(
    tmp_path: Path, stop: signal.Signals
) -> None:
    port = _free_port()
    demo = subprocess.Popen(
        [sys.executable, "-m", "yotsu.cli", "serve", "--port", str(port), "--data-dir", str(tmp_path)],
        env=_server_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                assert _get(f"http://127.0.0.1:{port}/static/yotsu_web/site.css")[0] == 200
                break
            except OSError:
                assert demo.poll() is None and time.monotonic() < deadline, "the demo did not come up"
                time.sleep(0.3)
        assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # its own key, owner-only
        demo.send_signal(stop)
        assert demo.wait(timeout=30) == 0
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
