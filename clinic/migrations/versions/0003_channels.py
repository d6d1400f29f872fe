"""channels tables.

Revision ID: 0003_channels
Revises: 0002_handoff
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0003_channels"
down_revision = "0002_handoff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
