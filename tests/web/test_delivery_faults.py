"""Reminders survive SIGKILL of the worker at random moments: each one reaches the fake SMTP or LINE
server: LINE pushes exactly once (the retry key), e-mails at least once and every copy with the
reminder's own Message-ID (SMTP cannot refuse a repeat; a kill between the server's acceptance and the
worker's commit can leave one extra copy per message in flight). benchmarks/fault_reminders.py, run
small here in its own installation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "fault_reminders.py"


@pytest.mark.slow
@pytest.mark.parametrize("seed", [3, 11])
def test_no_reminder_is_lost_and_no_line_push_doubled_across_worker_kills(seed: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YOTSU_", "DATABASE_URL", "DJANGO_"))}
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--reminders", "30", "--kills", "3", "--seed", str(seed), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    result = json.loads(run.stdout.strip().splitlines()[-1])
    print(result)
    assert result["unsent_rows"] == 0
    assert result["line"] == {"reminders": 15, "once": 15, "lost": 0, "doubled": 0}
    assert result["email"]["reminders"] == 15 and result["email"]["lost"] == 0
    assert result["email"]["doubled"] <= 4 * 3  # at most the messages in flight (4 threads) at each kill
    assert run.returncode == 0
    # The kills fell while reminders were being sent, not all before or all after.
    assert any(0 < sent < 30 for sent in result["sent_when_killed"]), result["sent_when_killed"]
