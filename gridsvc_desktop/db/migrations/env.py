"""Alembic environment: always run from code with a connection handed in."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import gridsvc_desktop.db.models  # noqa: F401  (registers the tables)

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI
    raise RuntimeError("run migrations through gridsvc_desktop.db.migrate")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
