"""The services the production topology needs: PostgreSQL, Redis and HAProxy.

Each check either passes or raises :class:`ServiceMissing` with the command that fixes it,
so ``make run-prod`` can say exactly what to do.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import redis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from clinic.db import make_engine


class ServiceMissing(RuntimeError):
    """A service the topology needs is not installed or not running."""


def haproxy_binary() -> str:
    """Path of Debian's ``haproxy`` (``scripts/install_debian_package.sh`` installs it)."""
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if not found:
        raise ServiceMissing("HAProxy is not installed: run `sudo apt-get install haproxy` "
                             "(or scripts/install_debian_package.sh)")
    return found


def ensure_postgres_database(url: str) -> None:
    """Check PostgreSQL answers at ``url`` and create its database if it is missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ServiceMissing(f"the production topology needs PostgreSQL, not {parsed.get_backend_name()}")
    admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False))
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                        {"name": parsed.database}).scalar()
            if not exists:  # the name comes from our own settings, not from a user
                connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    except OperationalError as error:
        raise ServiceMissing(
            f"PostgreSQL is not reachable at {parsed.host}:{parsed.port or 5432} "
            f"({type(error.orig).__name__}). Start it with `sudo service postgresql start` "
            f"(Debian: `sudo pg_ctlcluster 15 main start`) or point PROD_DATABASE_URL at yours."
        ) from None
    finally:
        admin.dispose()


def check_redis(url: str) -> None:
    """Check Redis answers at ``url``."""
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        raise ServiceMissing(
            f"Redis is not reachable at {url} ({type(error).__name__}). Start it with "
            f"`sudo service redis-server start` or point PROD_REDIS_URL at yours."
        ) from None
    finally:
        client.close()
