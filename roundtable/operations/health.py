"""Operational services of the portal: worker heartbeat and health."""

import logging
from collections.abc import Callable
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def worker_heartbeat_beat(*, hostname: str) -> None:
    try:
        WorkerHeartbeat.objects.update_or_create(
            hostname=hostname, defaults={"last_seen": timezone.now()}
        )
    except Exception:  # the database may be down; the health check says so
        logger.warning("worker heartbeat not written", exc_info=True)
    finally:
        # The worker's main process forks pool children: never share a connection.
        connection.close()


def worker_heartbeat_clear(*, hostname: str) -> None:
    try:
        WorkerHeartbeat.objects.filter(hostname=hostname).delete()
    except Exception:
        logger.warning("worker heartbeat not cleared", exc_info=True)
    finally:
        connection.close()


#: name -> check: services the portal can do without (the directory login, ...). Apps
#: register them in ``ready()``; a check returns ``{"ok": bool, ...}``, or ``None`` when
#: the service is not configured (then it is not reported).
_optional_checks: dict[str, Callable[[], dict | None]] = {}


def health_check_register(name: str, check: Callable[[], dict | None]) -> None:
    """Adds a check ``/healthz`` reports as ``degraded`` when it fails, without failing:
    the portal still serves (local accounts log in while the directory is away)."""
    _optional_checks[name] = check


def _optional_state() -> dict[str, dict]:
    state: dict[str, dict] = {}
    for name, check in _optional_checks.items():
        try:
            result = check()
        except Exception as exc:
            result = {"ok": False, "error": exc.__class__.__name__}
        if result is not None:
            state[name] = result
    return state


def workers_alive() -> set[str]:
    """Host names of the workers whose heartbeat is fresh: work claimed by any other
    worker was left behind by one that died (kill -9, a lost machine)."""
    fresh_after = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    return set(
        WorkerHeartbeat.objects.filter(last_seen__gte=fresh_after).values_list(
            "hostname", flat=True
        )
    )


def health_check() -> dict:
    """The state of database, broker and worker, as ``/healthz`` reports it; services
    the portal can do without are reported too and, when down, listed as ``degraded``."""
    state: dict[str, dict] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        state["database"] = {"ok": True}
    except Exception as exc:
        state["database"] = {"ok": False, "error": exc.__class__.__name__}

    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        state["broker"] = {"ok": True, "transport": current_app.conf.broker_url.split(":", 1)[0]}
    except Exception as exc:
        state["broker"] = {"ok": False, "error": exc.__class__.__name__}

    if state["database"]["ok"]:
        fresh_after = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        workers = list(
            WorkerHeartbeat.objects.filter(last_seen__gte=fresh_after).values_list(
                "hostname", flat=True
            )
        )
        state["worker"] = {"ok": bool(workers), "workers": len(workers)}
    else:
        state["worker"] = {"ok": False, "error": "database unavailable"}
    state["ok"] = all(part["ok"] for part in state.values())
    optional = _optional_state()
    state.update(optional)
    state["degraded"] = sorted(name for name, part in optional.items() if not part["ok"])
    return state
