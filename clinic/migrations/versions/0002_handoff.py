"""handoff tables.

Revision ID: 0002_handoff
Revises: 0001_booking
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0002_handoff"
down_revision = "0001_booking"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
