"""article_alias: other addresses of stored articles

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article_alias",
        sa.Column("url_key", sa.String(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("url_key"),
    )
    op.create_index("ix_article_alias_article_id", "article_alias", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_article_alias_article_id", table_name="article_alias")
    op.drop_table("article_alias")
