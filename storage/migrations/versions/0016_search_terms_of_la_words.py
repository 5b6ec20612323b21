"""search terms to be worked out again: after لل only a whole ل-word keeps its ل

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02

للبنات (for the girls) stemmed to لبن, the stem of لبنان; it now meets البنات.
The search terms stored with the old stems would miss it. As 0011 and 0015 did,
every article's are blanked, and the bot works them out again a batch at a time
(Curator.fill_search_terms, at every poll tick).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE article SET search_terms = ''")


def downgrade() -> None:
    pass  # the old terms cannot be brought back, nor are they needed: they were stale
