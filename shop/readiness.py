"""Readiness: can this process reach what a request may need (the database, Redis, the Celery
broker)? Read by /readyz, which the compose health checks and a load balancer call.

Each check answers "ok", "unreachable" or "not configured" (the embedded default has no Redis
and an in-memory broker). The answer names the service and never the URL or the error text:
both can carry a host name or a password, and /readyz is reachable by anyone who can reach the
process. The cause goes to the log instead. Every check has a timeout of a few seconds, so a
hung service makes the probe fail rather than hang with it.
"""

import logging

import redis
from celery import current_app
from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

OK = "ok"
UNREACHABLE = "unreachable"
NOT_CONFIGURED = "not configured"
TIMEOUT_SECONDS = 2


def database() -> str:
    """One `SELECT 1` on the default connection (the one requests use, so a stale
    persistent connection fails here too)."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("readiness: database unreachable: %s", exc)
        return UNREACHABLE
    return OK


def cache_redis() -> str:
    """A PING to REDIS_URL: the cache, sessions, trace links and scan counters live there."""
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=TIMEOUT_SECONDS,
        socket_connect_timeout=TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        logger.warning("readiness: Redis unreachable: %s", exc)
        return UNREACHABLE
    finally:
        client.close()
    return OK


def broker() -> str:
    """A connection to the Celery broker, retried once at once: tasks queued on commit go
    there. An in-memory broker (the embedded default) always answers."""
    url = settings.CELERY_BROKER_URL
    if not url:
        return NOT_CONFIGURED
    with current_app.connection_for_write(url=url) as connection:
        try:
            connection.ensure_connection(
                max_retries=1,
                interval_start=0,
                interval_step=0,
                timeout=TIMEOUT_SECONDS,
                reraise_as_library_errors=False,
            )
        except connection.connection_errors as exc:
            logger.warning("readiness: broker unreachable: %s", exc)
            return UNREACHABLE
    return OK


def check_all() -> dict[str, str]:
    """Every check by name, each "ok", "unreachable" or "not configured". Side effects: one
    query, one Redis PING and one broker connection, closed before returning."""
    return {"database": database(), "redis": cache_redis(), "broker": broker()}


def is_ready(checks: dict[str, str]) -> bool:
    return UNREACHABLE not in checks.values()
