"""handoff false-alarm marks (the patient stood down, staff marked a false alarm).

Revision ID: 0006_handoff_false_alarm
Revises: 0005_console_sessions
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0006_handoff_false_alarm"
down_revision = "0005_console_sessions"
branch_labels = None
depends_on = None

COLUMNS = ("stood_down_at", "false_alarm_by", "false_alarm_at")


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("stood_down_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("false_alarm_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("false_alarm_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
