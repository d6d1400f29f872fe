"""Alembic environment: migrates the clinic database named by the settings.

Run through ``python -m clinic migrate`` (what ``make run`` and ``make test`` do) or
``alembic upgrade head`` from the project root.
"""
from __future__ import annotations

from alembic import context

from clinic.db import Base, import_models, make_engine
from clinic.settings import get_settings

import_models()
target_metadata = Base.metadata


def _url() -> str:
    return context.config.attributes.get("url") or get_settings().database_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
