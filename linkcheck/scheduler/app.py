"""The Celery app: ``celery -A linkcheck worker`` / ``celery -A linkcheck beat``.

Configuration comes from ``Settings`` (the environment). With no broker URL
(``LINKCHECK_BROKER_URL``, then ``REDIS_URL``) the app talks to the embedded
Redis of the var folder (``python -m linkcheck scheduler`` starts it).

Two queues:
- ``celery``: check chunks. Any worker on any machine with network.
- ``state``: tasks that write the SQLite store, reports or the site. Only the
  worker on the machine holding them consumes it.
"""

from __future__ import annotations

import logging
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from celery import Celery, signals
from celery.beat import PersistentScheduler
from kombu import Queue

from linkcheck import redact
from linkcheck.scheduler.broker import embedded_url
from linkcheck.settings import Settings

CHUNK_QUEUE = "celery"
STATE_QUEUE = "state"


def time_limits(settings: Settings) -> tuple[float, float]:
    """(soft, hard) limits of one task, seconds."""
    hard = float(settings.task_time_limit)
    return hard * 0.9, hard


def visibility_timeout(settings: Settings) -> float:
    """Seconds before an unacknowledged job is handed to another worker: longer
    than the longest task, or a slow chunk would run twice."""
    _soft, hard = time_limits(settings)
    configured = float(settings.visibility_timeout)
    if not configured:
        return hard + 600
    if configured <= hard:
        raise ValueError(f"LINKCHECK_VISIBILITY_TIMEOUT ({configured:g}s) must be longer than "
                         f"LINKCHECK_TASK_TIME_LIMIT ({hard:g}s)")
    return configured


def broker_url(settings: Settings) -> str:
    return settings.broker_url or embedded_url(settings.var_dir)


def celery_config(settings: Settings) -> dict[str, Any]:
    soft, hard = time_limits(settings)
    visibility = visibility_timeout(settings)
    url = broker_url(settings)
    # Sweep for abandoned jobs often enough that a short visibility timeout
    # (tests, small deployments) is honoured promptly.
    restore_every = max(1.0, min(10.0, visibility / 5))
    return {
        "broker_url": url,
        "result_backend": url,
        "broker_transport_options": {
            "visibility_timeout": visibility,
            "unacked_restore_interval": restore_every,
            "unacked_restore_throttle": 1,
            "socket_timeout": 30,
            "socket_connect_timeout": 10,
            "health_check_interval": 10,
        },
        "result_backend_transport_options": {
            "visibility_timeout": visibility,
            "retry_policy": {"max_retries": 20, "interval_start": 0.5, "interval_step": 1,
                             "interval_max": 5},
        },
        "redis_backend_health_check_interval": 10,
        "result_expires": timedelta(days=1),
        # Jobs are acknowledged after they ran: a worker killed mid-task leaves
        # its job to be redelivered, and every task is idempotent.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        # Not True (Celery's future default): a task cancelled on a Redis restart is
        # marked revoked and its message acknowledged after reconnecting, so the
        # chunk is lost. Left running, it finishes and its result travels on.
        "worker_cancel_long_running_tasks_on_connection_loss": False,
        "task_soft_time_limit": soft,
        "task_time_limit": hard,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "timezone": "UTC",
        "enable_utc": True,
        # Redis restarts: keep trying instead of giving up.
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,
        "task_publish_retry": True,
        "task_publish_retry_policy": {"max_retries": 30, "interval_start": 0.2, "interval_step": 1,
                                      "interval_max": 5},
        "task_default_queue": CHUNK_QUEUE,
        "task_queues": (Queue(CHUNK_QUEUE), Queue(STATE_QUEUE)),
        "task_routes": {
            "linkcheck.check_chunk": {"queue": CHUNK_QUEUE},
            "linkcheck.*": {"queue": STATE_QUEUE},
        },
        "beat_schedule": beat_schedule(settings),
        "beat_schedule_filename": str(settings.var_dir / "celerybeat-schedule"),
        "beat_scheduler": "linkcheck.scheduler.app:VarFolderScheduler",
        "worker_hijack_root_logger": True,
    }


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """Check every link every ``check_interval_hours``, refresh GitHub and PyPI every
    ``github_interval_hours``, PyPI downloads every ``downloads_interval_hours``. Reports
    and rebuilds follow the data, not the clock; the run watchdog is a thread in each state
    worker (``watchdog.py``), not a beat entry."""
    schedule: dict[str, dict[str, Any]] = {}
    if settings.check_interval_hours > 0:
        schedule["check-links"] = {
            "task": "linkcheck.start_check_run",
            "schedule": timedelta(hours=settings.check_interval_hours),
            "kwargs": {"scheduled": True},  # one run per interval, however many beats
        }
    if settings.github_interval_hours > 0:
        schedule["refresh-github"] = {
            "task": "linkcheck.refresh_github",
            "schedule": timedelta(hours=settings.github_interval_hours),
        }
        # PyPI on the same clock: a project's vital signs come in together
        schedule["refresh-pypi"] = {
            "task": "linkcheck.refresh_pypi",
            "schedule": timedelta(hours=settings.github_interval_hours),
        }
    if settings.downloads_interval_hours > 0:
        # pypistats updates once a day: a daily run, each figure asked once its day is over
        schedule["refresh-downloads"] = {
            "task": "linkcheck.refresh_downloads",
            "schedule": timedelta(hours=settings.downloads_interval_hours),
        }
    return schedule


class VarFolderScheduler(PersistentScheduler):
    """Beat's own scheduler, creating the folder of its schedule file first: on a fresh
    checkout var/ does not exist yet, and `make beat` died with a shelve traceback."""

    def setup_schedule(self) -> None:
        Path(self.schedule_filename).parent.mkdir(parents=True, exist_ok=True)
        super().setup_schedule()


def _survive_restore_on_close() -> None:
    """kombu 5.x: when Redis goes away, a channel may be closed after its connection
    was detached; restoring its unacked messages then raises AttributeError
    ('NoneType' object has no attribute 'hostname') and the worker exits. Those
    messages stay in Redis's unacked hash (restored after the visibility timeout, and
    a chunk's job is re-sent by the run watchdog anyway), so the worker logs it and
    goes on reconnecting instead."""
    from kombu.transport import redis as kombu_redis

    original = kombu_redis.QoS.restore_unacked
    if getattr(original, "_linkcheck_guard", False):
        return

    def restore_unacked(self: Any, client: Any = None) -> Any:
        try:
            return original(self, client)
        except AttributeError as exc:
            logging.getLogger("linkcheck").warning(
                "broker connection gone while restoring unacked messages (%s); they stay in "
                "Redis and come back later", exc)
            return None

    restore_unacked._linkcheck_guard = True  # type: ignore[attr-defined]
    kombu_redis.QoS.restore_unacked = restore_unacked


def make_app(settings: Settings) -> Celery:
    celery_app = Celery("linkcheck", include=["linkcheck.scheduler.tasks"])
    celery_app.conf.update(celery_config(settings))
    _survive_restore_on_close()
    parts = settings.secret_parts()

    def _redact_logs(logger: logging.Logger, **_: Any) -> None:
        redact.install(parts, logger)  # worker and beat logs, task logs too

    signals.after_setup_logger.connect(_redact_logs, weak=False)
    signals.after_setup_task_logger.connect(_redact_logs, weak=False)
    return celery_app


def _startup_rule(**_: Any) -> None:
    """Worker and beat say at start-up how rebuilds build the site, or refuse to start."""
    fine, message = SETTINGS.pelican_conf_rule()
    if not fine:
        print(f"linkcheck: {message}", file=sys.stderr, flush=True)
        raise SystemExit(2)
    logging.getLogger("linkcheck").warning(message)


def _first_run_at_start(sender: Any = None, **_: Any) -> None:
    """Beat checks at once when the store has no run within the last interval
    (the task decides; a second beat's request is skipped the same way)."""
    settings = SETTINGS
    if settings.check_interval_hours > 0:
        app.send_task("linkcheck.start_check_run", kwargs={"scheduled": True, "startup": True})
        logging.getLogger("linkcheck").warning(
            "check run requested at start (skipped if the store has one from the last %g h)",
            settings.check_interval_hours)


signals.worker_init.connect(_startup_rule, weak=False)
signals.beat_init.connect(_startup_rule, weak=False)
signals.beat_init.connect(_first_run_at_start, weak=False)


# Built once per worker/beat process, at import (Celery's entry point), and passed down:
# every task takes its settings from here, none reads the environment itself.
SETTINGS = Settings.from_env()
app = make_app(SETTINGS)
