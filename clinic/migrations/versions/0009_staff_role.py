"""staff_accounts.role: the role patients see next to a staff member's first name (issue 18).

Revision ID: 0009_staff_role
Revises: 0008_aftercare_optin
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_staff_role"
down_revision = "0008_aftercare_optin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_accounts") as batch:
        batch.add_column(sa.Column("role", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_accounts") as batch:
        batch.drop_column("role")
