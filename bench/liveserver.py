"""Run the web app as a real server process on 127.0.0.1 (for the bench and the reliability tests).

``LiveServer(db_url).start()`` runs gunicorn (``-w N``, sync workers) when it is installed, else
``flask run --with-threads`` (one process); either way in its own process group, so ``kill()``
(SIGKILL) and ``stop()`` end exactly the processes it started.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def have_gunicorn() -> bool:
    return importlib.util.find_spec("gunicorn") is not None


class LiveServer:
    """One app server process (gunicorn master + workers, or flask's threaded dev server)."""

    def __init__(
        self,
        db_url: str,
        *,
        forms: str | Path | None = None,
        workers: int = 2,
        kind: str | None = None,
        port: int | None = None,
        env: dict | None = None,
        secret: str = "live-server-secret",
        app: str = "webapp:create_app()",
    ):
        self.db_url = db_url
        self.forms = str(forms) if forms else None
        self.workers = workers
        self.kind = kind or ("gunicorn" if have_gunicorn() else "flask")
        self.port = port or free_port()
        self.extra_env = env or {}
        self.secret = secret
        self.app = app
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="liveserver-", suffix=".log", delete=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def description(self) -> str:
        if self.kind == "gunicorn":
            return f"gunicorn -w {self.workers} (sync workers)"
        return "flask run --with-threads (1 process)"

    def command(self) -> list[str]:
        if self.kind == "gunicorn":
            return [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--graceful-timeout",
                "5",
                "--timeout",
                "60",
                "--backlog",
                "512",
                self.app,
            ]
        return [
            sys.executable,
            "-m",
            "flask",
            "--app",
            self.app.replace(":", ":", 1),
            "run",
            "--with-threads",
            "--no-reload",
            "--no-debugger",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]

    def environment(self) -> dict:
        env = dict(os.environ)
        env.update(
            {
                "FORMENGINE_DATABASE_URL": self.db_url,
                "FORMENGINE_SECRET_KEY": self.secret,
                "FORMENGINE_ACCESS_LOG": "false",
                "PYTHONUNBUFFERED": "1",
                # 50 simulated relatives start their forms from one address: no self-start limit
                "FORMENGINE_SELF_START_PER_ADDRESS": "1000000",
                "FORMENGINE_SELF_START_GLOBAL": "0",
            }
        )
        if self.forms:
            env["FORMENGINE_FORMS"] = self.forms
        env.update(self.extra_env)
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        return env

    def start(self, timeout: float = 90) -> LiveServer:
        self.proc = subprocess.Popen(
            self.command(),
            cwd=REPO,
            env=self.environment(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                output = self.output()
                self.stop()
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{output}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        output = self.output()
        self.stop()
        raise RuntimeError(f"server not ready after {timeout}s:\n{output}")

    def output(self) -> str:
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")[-4000:]

    def _signal_group(self, sig: int) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, sig)  # the group this Popen created (start_new_session)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """SIGKILL the server and all its workers at once (a crash, not a shutdown)."""
        self._signal_group(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=30)
        time.sleep(0.2)  # let orphaned workers (if any) receive their SIGKILL too

    def stop(self) -> None:
        """SIGTERM (graceful), then SIGKILL whatever of the group is left; remove the log."""
        if self.proc is not None and self.proc.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        self._signal_group(signal.SIGKILL)
        if self.proc is not None and self.proc.poll() is None:
            self.proc.wait(timeout=15)
        if not self.log.closed:
            self.log.close()
            try:
                os.unlink(self.log.name)
            except OSError:
                pass

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
