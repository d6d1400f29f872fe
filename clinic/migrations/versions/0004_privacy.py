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
    op.create_table(
        "privacy_consents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("given_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_privacy_consents_conversation_id", "privacy_consents", ["conversation_id"])
    op.create_table(
        "privacy_erasure_audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subject_hash", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("erased_at", sa.DateTime(), nullable=False),
        sa.Column("tracker_events", sa.Integer(), nullable=False),
        sa.Column("clinic_rows", sa.Integer(), nullable=False),
        sa.Column("tables", sa.Text(), nullable=False),
    )
    op.create_index("ix_privacy_erasure_audit_subject_hash", "privacy_erasure_audit", ["subject_hash"])


def downgrade() -> None:
    op.drop_index("ix_privacy_erasure_audit_subject_hash", table_name="privacy_erasure_audit")
    op.drop_table("privacy_erasure_audit")
    op.drop_index("ix_privacy_consents_conversation_id", table_name="privacy_consents")
    op.drop_table("privacy_consents")
