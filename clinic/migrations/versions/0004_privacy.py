"""privacy tables.

Revision ID: 0004_privacy
Revises: 0003_channels
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0004_privacy"
down_revision = "0003_channels"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
