"""`make run` starts the background worker and the web server together
(scripts/run_services.py), and stopping it, or either of them stopping, stops both."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(database: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)  # the group: the process and any child its autoreloader started
    except ProcessLookupError:
        return False
    # A zombie has not been reaped by its parent yet but runs nothing.
    states = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pid:  # process group id
            states.append(fields[0])
    return any(state != "Z" for state in states)


def _cmdline(pid: int) -> str:
    return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh SQLite database, migrated once for the module."""
    database = tmp_path_factory.mktemp("run_services") / "migrated.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=_environment(database),
        check=True,
    )
    return database


@pytest.fixture
def services(
    migrated: Path, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[str], dict[str, int], int]]:
    """The script running against a copy of that database on a free port, once the web
    server answers; its children's process ids by name."""
    database = tmp_path / "run.sqlite3"
    shutil.copyfile(migrated, database)
    env = _environment(database)
    port = _free_port()
    script = subprocess.Popen(
        [sys.executable, "scripts/run_services.py", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    pids: dict[str, int] = {}
    assert script.stdout is not None
    while len(pids) < 2:
        line = script.stdout.readline()
        assert line, "the script ended before starting both processes"
        if found := re.match(r"Started the (\w+) \(process (\d+)\)", line):
            pids[found.group(1)] = int(found.group(2))
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as got:
                assert got.status == 200
                break
        except OSError:
            assert time.monotonic() < deadline, "the web server never answered"
            time.sleep(0.3)
    yield script, pids, port
    if script.poll() is None:
        script.kill()
        script.wait()
    for pid in pids.values():
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)


def test_ctrl_c_stops_the_worker_and_the_web_server(services) -> None:
    script, pids, port = services
    assert set(pids) == {"worker", "web"}
    assert "db_worker" in _cmdline(pids["worker"])
    assert f"runserver 127.0.0.1:{port}" in _cmdline(pids["web"])
    assert _alive(pids["worker"])
    assert _alive(pids["web"])

    script.send_signal(signal.SIGINT)
    assert script.wait(timeout=30) == 0
    assert not _alive(pids["worker"])
    assert not _alive(pids["web"])
    with pytest.raises(urllib.error.URLError, match="Connection refused"):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)


def test_when_the_worker_dies_the_web_server_is_stopped_too(services) -> None:
    script, pids, _ = services
    os.killpg(pids["worker"], signal.SIGKILL)
    assert script.wait(timeout=30) != 0
    assert not _alive(pids["web"])
