"""search terms to be worked out again: Arabic words are stemmed otherwise

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29

The bot fills in blank search terms a batch at a time (Curator.fill_search_terms,
at every poll tick): here every article's are blanked, so that those stemmed the
old way are worked out again, as are those of articles stored before 0005.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE article SET search_terms = ''")


def downgrade() -> None:
    pass  # the old terms cannot be brought back, nor are they needed: they were stale
