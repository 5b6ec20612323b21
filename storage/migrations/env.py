"""Alembic environment: runs on the engine handed over by storage.db.upgrade."""

from alembic import context
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        # The full-text index (SQLite) lives outside the models: see storage/search.py.
        include_name=lambda name, kind, parent: (
            not (kind == "table" and name and name.startswith("article_search"))
        ),
        render_as_batch=True,  # SQLite can only ALTER by copying the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
