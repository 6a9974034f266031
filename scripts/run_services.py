"""Run the background worker and the web server together, as `make run` does.

    python scripts/run_services.py [address:port]

Both are started in their own process group; Ctrl-C (SIGINT) or SIGTERM is passed on to
both, and if either stops on its own the other is stopped too, so nothing is left running.
Production runs the two as separate services instead (see the README).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"
GRACE_SECONDS = 10


def commands(address: str) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "worker": [python, str(MANAGE), "db_worker", "--interval", "1"],
        "web": [python, str(MANAGE), "runserver", address],
    }


def stop(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    """Ask each process group to stop, then make sure it has."""
    for process in processes.values():
        _signal_group(process, signal.SIGINT)
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes.values():
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
    for process in processes.values():
        # The group too: runserver's and the worker's autoreloaders run a child each.
        _signal_group(process, signal.SIGKILL)
        process.wait()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def main(argv: list[str]) -> int:
    address = argv[1] if len(argv) > 1 else "127.0.0.1:8000"
    stopping: list[int] = []

    def ask_to_stop(signum: int, frame: FrameType | None) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGINT, ask_to_stop)
    signal.signal(signal.SIGTERM, ask_to_stop)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    for name, command in commands(address).items():
        processes[name] = subprocess.Popen(command, start_new_session=True)  # noqa: S603
        print(f"Started the {name} (process {processes[name].pid}).", flush=True)
    code = 0
    try:
        while not stopping:
            ended = [name for name, process in processes.items() if process.poll() is not None]
            if ended:
                code = processes[ended[0]].returncode or 1
                print(f"The {ended[0]} stopped; stopping the rest.", file=sys.stderr, flush=True)
                break
            time.sleep(0.2)
    finally:
        stop(processes)
    print("Stopped the worker and the web server.", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
