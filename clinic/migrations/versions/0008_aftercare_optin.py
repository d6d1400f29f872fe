"""aftercare: check-in opt-ins, and answers and appointments on the due-jobs table (issue 16).

``aftercare_optins``: one row per conversation, whether the patient wants check-ins and
booking reminders ("stop" turns it off at once). ``aftercare_jobs`` gains the appointment a
booking reminder is about and the patient's answer to a sent message.

Revision ID: 0008_aftercare_optin
Revises: 0007_treatments
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_aftercare_optin"
down_revision = "0007_treatments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aftercare_optins",
        sa.Column("conversation_id", sa.String(255), primary_key=True),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
    )
    with op.batch_alter_table("aftercare_jobs") as batch:
        batch.add_column(sa.Column("appointment_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("answered_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("outcome", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("aftercare_jobs") as batch:
        batch.drop_column("outcome")
        batch.drop_column("answered_at")
        batch.drop_column("appointment_id")
    op.drop_table("aftercare_optins")
