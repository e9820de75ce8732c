"""Each instance keeps its runtime files under its own VAR_DIR (finding 11: two portal
instances on one host shared gunicorn's control socket file)."""

import os
import shlex
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_commands(var_dir: Path, port: int) -> str:
    """What `make run` would execute, as `make -n` prints it (nothing is run)."""
    out = subprocess.run(
        ["make", "-n", "run", f"VAR_DIR={var_dir}", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.replace("\\\n", " ")


def _gunicorn_command(commands: str) -> list[str]:
    line = next(line for line in commands.splitlines() if "bin/gunicorn " in line)
    return shlex.split(line[line.index(".venv/bin/gunicorn") :])


def test_make_run_keeps_worker_and_beat_files_under_var_dir(tmp_path):
    commands = _run_commands(tmp_path, 8123)
    assert f"--schedule {tmp_path}/celerybeat-schedule" in commands
    assert f"--pidfile {tmp_path}/worker-mail.pid" in commands
    assert f"--pidfile {tmp_path}/worker-reports.pid" in commands
    assert "--queues mail" in commands and "--queues reports" in commands
    assert commands.count("--beat") == 1  # exactly one beat


@pytest.mark.skipif(not (ROOT / ".venv/bin/gunicorn").exists(), reason="needs the virtualenv")
def test_two_instances_keep_their_own_control_socket_and_pid_file(tmp_path):
    processes = []
    dirs = [tmp_path / "eins", tmp_path / "zwei"]
    try:
        for var_dir in dirs:
            var_dir.mkdir()
            port = _free_port()
            command = _gunicorn_command(_run_commands(var_dir, port))
            command = [c for c in command if c != "--reuse-port"]
            env = {**os.environ, "VAR_DIR": str(var_dir)}
            processes.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
        deadline = time.monotonic() + 30
        while not all(
            (d / "gunicorn.ctl").exists() and (d / "gunicorn.pid").exists() for d in dirs
        ):
            assert time.monotonic() < deadline, [sorted(p.name for p in d.iterdir()) for d in dirs]
            assert all(p.poll() is None for p in processes), "a gunicorn stopped"
            time.sleep(0.2)
        pids = {int((d / "gunicorn.pid").read_text()) for d in dirs}
        assert pids == {p.pid for p in processes}
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(20)
