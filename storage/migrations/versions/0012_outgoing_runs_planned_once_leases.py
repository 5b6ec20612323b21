"""a run is planned once per chat; where a handed-over message stands; sources claimed;
leases

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

Before this, two processes could plan one chat's digest twice. Such twins are
renamed (their run gets " #<id>") so that the constraint can hold; they stay in
the history as the messages they were.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lease",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("holder", sa.String(), nullable=False),
        sa.Column("acquired_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.execute(
        "UPDATE outgoing SET run = run || ' #' || CAST(id AS VARCHAR) WHERE id NOT IN "
        "(SELECT MIN(id) FROM outgoing GROUP BY chat_id, run, position)"
    )
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(), nullable=True))
    with op.batch_alter_table("outgoing", schema=None) as batch_op:
        batch_op.add_column(sa.Column("after_message_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            "uq_outgoing_chat_run_position", ["chat_id", "run", "position"]
        )


def downgrade() -> None:
    with op.batch_alter_table("outgoing", schema=None) as batch_op:
        batch_op.drop_constraint("uq_outgoing_chat_run_position", type_="unique")
        batch_op.drop_column("after_message_id")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
    op.drop_table("lease")
