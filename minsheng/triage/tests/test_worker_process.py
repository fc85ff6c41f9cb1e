"""A real worker process (`manage.py db_worker`) picks up a queued triage and runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from minsheng.testing.shared_data import PROJECT_ROOT

RECEIVE = """
from minsheng.accounts.actors import Actor
from minsheng.clues.services.intake import clue_receive
clue = clue_receive(actor=Actor.system('test'), channel='web', title='小区停水三天',
                    content='芙蓉区某小区连续三天停水，无人处理。').clue
print(clue.pk)
"""
CHECK = """
from minsheng.clues.models import Clue
from minsheng.triage.models import TriageResult
clue = Clue.objects.get()
result = TriageResult.objects.get(clue=clue)
print(clue.status, result.status)
"""


def _manage(*args: str, env: dict[str, str]) -> str:
    completed = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(PROJECT_ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout.strip()


def test_db_worker_process_runs_the_queued_triage(tmp_path: Path) -> None:
    # given a fresh embedded database in its own data directory, and a clue just received
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(MINSHENG_DATA_DIR=str(tmp_path), TASKS_BACKEND="database")
    _manage("migrate", "--skip-checks", env=env)
    _manage("shell", "-c", RECEIVE, env=env)

    # when a worker process drains the queue
    _manage("db_worker", "--batch", "--no-startup-delay", env=env)

    # then the clue was triaged by that process (no model yet: it waits for a human)
    assert _manage("shell", "-c", CHECK, env=env).splitlines()[-1] == "triaged needs_human"
