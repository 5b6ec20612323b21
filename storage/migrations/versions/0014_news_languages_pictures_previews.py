"""chat.news_languages and chat.pictures; outgoing.preview_url and outgoing.sections

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch: on SQLite a batch may copy `chat` into a new table
    # and drop the old one, and with foreign keys on, that drop empties the tables whose
    # rows belong to a chat (outgoing, subscription, delivery).
    op.add_column("chat", sa.Column("news_languages", sa.String(), nullable=True))
    op.add_column(
        "chat", sa.Column("pictures", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.add_column("outgoing", sa.Column("preview_url", sa.String(), nullable=True))
    op.add_column("outgoing", sa.Column("sections", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    for table, column in (("outgoing", "sections"), ("outgoing", "preview_url"),
                          ("chat", "pictures"), ("chat", "news_languages")):  # fmt: skip
        op.drop_column(table, column)
