"""aftercare: treatment records and the due-jobs table for check-ins (issue 16).

The scheduler decision (a worker over ``aftercare_jobs``, not APScheduler's job store) is
explained on :class:`clinic.aftercare.models.AftercareJob`.

Revision ID: 0007_treatments
Revises: 0006_handoff_false_alarm
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0007_treatments"
down_revision = "0006_handoff_false_alarm"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "treatments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("treated_on", sa.Date(), nullable=False),
        sa.Column("area", sa.String(40), nullable=False),
        sa.Column("practitioner_key", sa.String(60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("conversation_id", "treated_on", "area", name="uq_treatments_session"),
    )
    op.create_index("ix_treatments_conversation_id", "treatments", ["conversation_id"])
    op.create_table(
        "aftercare_jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("treatment_id", sa.Integer(), sa.ForeignKey("treatments.id", ondelete="CASCADE"), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("dedupe_key", sa.String(100), nullable=False, unique=True),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('checkin', 'session_reminder', 'booking_reminder')",
                           name="ck_aftercare_jobs_kind"),
        sa.CheckConstraint("status IN ('due', 'claimed', 'sent', 'failed', 'cancelled')",
                           name="ck_aftercare_jobs_status"),
    )
    op.create_index("ix_aftercare_jobs_conversation_id", "aftercare_jobs", ["conversation_id"])
    op.create_index("ix_aftercare_jobs_treatment_id", "aftercare_jobs", ["treatment_id"])
    op.create_index("ix_aftercare_jobs_status_due_at", "aftercare_jobs", ["status", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_aftercare_jobs_status_due_at", table_name="aftercare_jobs")
    op.drop_index("ix_aftercare_jobs_treatment_id", table_name="aftercare_jobs")
    op.drop_index("ix_aftercare_jobs_conversation_id", table_name="aftercare_jobs")
    op.drop_table("aftercare_jobs")
    op.drop_index("ix_treatments_conversation_id", table_name="treatments")
    op.drop_table("treatments")
