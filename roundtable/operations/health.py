"""Operational services of the portal: worker heartbeat and health."""

import logging
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


def health_check() -> dict:
    """The state of database, broker and worker, as ``/healthz`` reports it."""
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
    return state
