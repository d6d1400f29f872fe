"""booking tables.

Revision ID: 0001_booking
Revises: None
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0001_booking"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "booking_practitioners",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(60), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "booking_services",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(60), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("price", sa.Integer, nullable=False),
        sa.CheckConstraint("duration_minutes > 0", name="ck_booking_services_duration"),
    )
    op.create_table(
        "booking_working_hours",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("practitioner_id", sa.Integer,
                  sa.ForeignKey("booking_practitioners.id", ondelete="CASCADE"), nullable=False),
        sa.Column("weekday", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("starts", sa.String(5), nullable=False),
        sa.Column("ends", sa.String(5), nullable=False),
        sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name="ck_booking_hours_weekday"),
        sa.CheckConstraint("kind IN ('work', 'break')", name="ck_booking_hours_kind"),
    )
    op.create_index("ix_booking_working_hours_practitioner_id", "booking_working_hours", ["practitioner_id"])
    op.create_table(
        "booking_closures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("practitioner_id", sa.Integer,
                  sa.ForeignKey("booking_practitioners.id", ondelete="CASCADE"), nullable=True),
        sa.Column("starts", sa.String(5), nullable=True),
        sa.Column("ends", sa.String(5), nullable=True),
        sa.Column("reason", sa.String(120), nullable=False),
    )
    op.create_index("ix_booking_closures_day", "booking_closures", ["day"])
    op.create_table(
        "booking_patients",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("conversation_id", sa.String(120), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_booking_patients_phone", "booking_patients", ["phone"])
    op.create_index("ix_booking_patients_conversation_id", "booking_patients", ["conversation_id"])
    op.create_table(
        "booking_appointments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(12), nullable=False, unique=True),
        sa.Column("practitioner_id", sa.Integer, sa.ForeignKey("booking_practitioners.id"), nullable=False),
        sa.Column("service_id", sa.Integer, sa.ForeignKey("booking_services.id"), nullable=False),
        sa.Column("patient_id", sa.Integer,
                  sa.ForeignKey("booking_patients.id", ondelete="SET NULL"), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("starts_at", sa.DateTime, nullable=False),
        sa.Column("ends_at", sa.DateTime, nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=True, unique=True),
        sa.Column("held_until", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.CheckConstraint("status IN ('held', 'confirmed', 'cancelled')", name="ck_booking_appt_status"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_booking_appt_order"),
    )
    op.create_index("ix_booking_appointments_practitioner_id", "booking_appointments", ["practitioner_id"])
    op.create_index("ix_booking_appointments_starts_at", "booking_appointments", ["starts_at"])
    op.create_table(
        "booking_slot_claims",
        sa.Column("practitioner_id", sa.Integer,
                  sa.ForeignKey("booking_practitioners.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("cell_start", sa.DateTime, primary_key=True),
        sa.Column("appointment_id", sa.Integer,
                  sa.ForeignKey("booking_appointments.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_booking_slot_claims_appointment_id", "booking_slot_claims", ["appointment_id"])


def downgrade() -> None:
    for table in ("booking_slot_claims", "booking_appointments", "booking_patients",
                  "booking_closures", "booking_working_hours", "booking_services",
                  "booking_practitioners"):
        op.drop_table(table)
