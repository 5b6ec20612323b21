"""search terms to be worked out again: Arabic words of أل and after لل stem otherwise

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

The stems of ألمانيا and الألمانية now meet, as do those of لبنان and للبنان; the
search terms stored with the old stems would miss them. As 0011 did, every
article's are blanked, and the bot works them out again a batch at a time
(Curator.fill_search_terms, at every poll tick).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE article SET search_terms = ''")


def downgrade() -> None:
    pass  # the old terms cannot be brought back, nor are they needed: they were stale
