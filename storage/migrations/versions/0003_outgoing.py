"""outgoing messages and chat send state

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outgoing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("run", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_ids", sa.JSON(), nullable=False),
        sa.Column("error", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["chat_id"], ["chat.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outgoing", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outgoing_status_chat", ["status", "chat_id", "position"], unique=False
        )

    with op.batch_alter_table("chat", schema=None) as batch_op:
        batch_op.add_column(sa.Column("thread_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("last_message_id", sa.Integer(), nullable=True))

    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outgoing_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_delivery_outgoing_id", "outgoing", ["outgoing_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_constraint("fk_delivery_outgoing_id", type_="foreignkey")
        batch_op.drop_column("outgoing_id")

    with op.batch_alter_table("chat", schema=None) as batch_op:
        batch_op.drop_column("last_message_id")
        batch_op.drop_column("thread_id")

    with op.batch_alter_table("outgoing", schema=None) as batch_op:
        batch_op.drop_index("ix_outgoing_status_chat")

    op.drop_table("outgoing")
