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
    op.create_table(
        "channel_inbound_messages",
        sa.Column("message_id", sa.String(255), primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_channel_inbound_messages_conversation_id",
                    "channel_inbound_messages", ["conversation_id"])
    op.create_table(
        "channel_contacts",
        sa.Column("conversation_id", sa.String(255), primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("last_inbound_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "channel_media",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("media_ref", sa.String(1024), nullable=False),
        sa.Column("mime_type", sa.String(100)),
        sa.Column("received_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_channel_media_conversation_id", "channel_media", ["conversation_id"])
    op.create_table(
        "channel_choices",
        sa.Column("conversation_id", sa.String(255), primary_key=True),
        sa.Column("payloads", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "channel_undelivered",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_channel_undelivered_conversation_id", "channel_undelivered", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_channel_undelivered_conversation_id", table_name="channel_undelivered")
    op.drop_table("channel_undelivered")
    op.drop_table("channel_choices")
    op.drop_index("ix_channel_media_conversation_id", table_name="channel_media")
    op.drop_table("channel_media")
    op.drop_table("channel_contacts")
    op.drop_index("ix_channel_inbound_messages_conversation_id", table_name="channel_inbound_messages")
    op.drop_table("channel_inbound_messages")
