"""article.search_terms, and on SQLite a full-text index over it (FTS5)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite only (storage/search.py knows both ways): an external-content FTS5 table kept
# in step with article by triggers.
FTS = [
    "CREATE VIRTUAL TABLE article_search USING fts5(search_terms, content='article', "
    "content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER article_search_insert AFTER INSERT ON article BEGIN "
    "INSERT INTO article_search(rowid, search_terms) VALUES (new.id, new.search_terms); END",
    "CREATE TRIGGER article_search_delete AFTER DELETE ON article BEGIN "
    "INSERT INTO article_search(article_search, rowid, search_terms) "
    "VALUES ('delete', old.id, old.search_terms); END",
    "CREATE TRIGGER article_search_update AFTER UPDATE OF search_terms ON article BEGIN "
    "INSERT INTO article_search(article_search, rowid, search_terms) "
    "VALUES ('delete', old.id, old.search_terms); "
    "INSERT INTO article_search(rowid, search_terms) VALUES (new.id, new.search_terms); END",
]


def upgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_terms", sa.String(), nullable=False, server_default="")
        )
    if op.get_bind().dialect.name == "sqlite":
        for statement in FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("article_search_insert", "article_search_delete", "article_search_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS article_search")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_column("search_terms")
