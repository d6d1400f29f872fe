"""aftercare_photos: photos patients send on WhatsApp, kept for staff (issue 16 item 4).

One row per platform message id (unique: a redelivery is a no-op); the image is a file with
a random name in the photo directory (``PHOTO_DIR``), never in the database or a web root.

Revision ID: 0011_photos
Revises: 0010_canned_replies
"""
from alembic import op
import sqlalchemy as sa

revision = "0011_photos"
down_revision = "0010_canned_replies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aftercare_photos",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("media_ref", sa.String(1024), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(32), nullable=True),
        sa.Column("note", sa.String(300), nullable=True),
        sa.Column("declared_mime", sa.String(100), nullable=True),
        sa.Column("mime_type", sa.String(32), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("file_name", sa.String(64), nullable=True),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("message_id", name="uq_aftercare_photos_message_id"),
        sa.CheckConstraint("status IN ('receiving', 'stored', 'refused', 'failed')", name="ck_aftercare_photos_status"),
    )
    op.create_index("ix_aftercare_photos_conversation_id", "aftercare_photos", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_aftercare_photos_conversation_id", table_name="aftercare_photos")
    op.drop_table("aftercare_photos")
