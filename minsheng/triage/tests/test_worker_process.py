"""A real worker process (`manage.py db_worker`) picks up a queued triage and runs it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

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


def _redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


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


def test_rq_worker_process_runs_the_queued_triage_from_redis(tmp_path: Path) -> None:
    # given the Redis queue (a database number of its own) instead of the database queue
    if not _redis_answers():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        MINSHENG_DATA_DIR=str(tmp_path),
        TASKS_BACKEND="rq",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    _manage("migrate", "--skip-checks", env=env)
    _manage("shell", "-c", "import django_rq; django_rq.get_queue('default').empty()", env=env)
    _manage("shell", "-c", RECEIVE, env=env)

    # when an RQ worker process drains the queue
    _manage("rqworker", "default", "--burst", env=env)

    # then that process triaged the clue
    assert _manage("shell", "-c", CHECK, env=env).splitlines()[-1] == "triaged needs_human"
