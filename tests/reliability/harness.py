"""A deployment on loopback for fault tests: a private redis-server that a test may stop
or pause (never the shared one), gunicorn, Caddy, and a small HTTP client with cookies."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.25, what: str = ""):
    """Polls ``condition`` until it returns something true; that value, or AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(interval)


class PrivateRedis:
    """A redis-server of this test only, on a free loopback port, keeping nothing."""

    def __init__(self, tmp: Path):
        self.port = free_port()
        self.dir = tmp
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def cli(self, *args: str) -> str:
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True, timeout=30
        ).stdout.strip()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: self.cli("ping") == "PONG", timeout=10, what="redis-server starts")

    def stop(self) -> None:
        """As a crash would: the process goes, and everything queued in it."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def pause(self, milliseconds: int) -> None:
        """Every client's commands wait (a stall), then go on."""
        assert self.cli("CLIENT", "PAUSE", str(milliseconds), "ALL") == "OK"


class Managed:
    """A subprocess in its own session, stopped with its children."""

    def __init__(self, command: list[str], *, env: dict, log: Path):
        self.log = log
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=open(log, "ab"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


class Gunicorn(Managed):
    def __init__(self, *, env: dict, tmp: Path):
        self.port = free_port()
        super().__init__(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "roundtable.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "60",
                "--control-socket",
                str(tmp / "gunicorn.ctl"),
            ],
            env=env,
            log=tmp / "gunicorn.log",
        )
        wait_until(self._answers, timeout=60, what=f"gunicorn starts:\n{self.tail()}")

    def _answers(self) -> bool:
        assert self.process.poll() is None, self.tail()
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False


class Caddy(Managed):
    """Debian's Caddy as the compose deployment has it: a reverse proxy that sets
    X-Forwarded-For to the address of whoever connected to it."""

    def __init__(self, *, upstream_port: int, tmp: Path):
        self.port = free_port()
        config = tmp / "Caddyfile"
        config.write_text(
            "{\n\tadmin off\n\tauto_https off\n}\n"
            f"http://127.0.0.1:{self.port} {{\n\treverse_proxy 127.0.0.1:{upstream_port}\n}}\n"
        )
        super().__init__(
            ["caddy", "run", "--config", str(config), "--adapter", "caddyfile"],
            env={
                **os.environ,
                "HOME": str(tmp),
                "XDG_DATA_HOME": str(tmp),
                "XDG_CONFIG_HOME": str(tmp),
            },
            log=tmp / "caddy.log",
        )
        wait_until(
            lambda: _connectable(self.port) or self.process.poll() is not None,
            timeout=30,
            what="caddy starts",
        )
        assert self.process.poll() is None, self.tail()


def _connectable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


class Response:
    def __init__(self, status: int, headers: dict, body: str):
        self.status, self.headers, self.body = status, headers, body


class Browser:
    """Cookies, CSRF tokens and no redirects followed; optionally from another loopback
    address (127.0.0.2 ...) as a different client."""

    def __init__(self, port: int, *, source: str = "127.0.0.1"):
        self.port = port
        self.source = source
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.headers: dict[str, str] = {}  # sent with every request

    def request(self, method: str, path: str, data: dict | None = None) -> Response:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.source, 0)
        )
        headers = {"Host": "127.0.0.1", **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode({"csrfmiddlewaretoken": self.token, **data}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode(errors="replace")
            for header in raw.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            found = TOKEN.search(text)
            if found:
                self.token = found.group(1)
            return Response(raw.status, dict(raw.headers), text)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        return self.request("POST", path, data)

    def login(self, username: str, password: str) -> Response:
        self.get("/accounts/login/")
        return self.post("/accounts/login/", {"username": username, "password": password})
