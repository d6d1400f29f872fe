"""Canned replies staff can edit (issue 18): table ``canned_replies`` and
``staff_accounts.is_admin`` (who may edit them); a few neutral starting replies.

Revision ID: 0010_canned_replies
Revises: 0009_staff_role
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

revision = "0010_canned_replies"
down_revision = "0009_staff_role"
branch_labels = None
depends_on = None

# Starting replies: no medical advice, no promises; admins change them in the console.
STARTERS = (
    ("Reading now", "en", "Thank you for waiting. I am reading your messages now and will reply here in a moment."),
    ("Call us", "en", "It may be quicker to talk this through on the phone. Could we call you on this number, "
                      "and when suits you?"),
    ("Anything else", "en", "Is there anything else I can help you with today?"),
    ("أقرأ الآن", "ar", "شكرًا على انتظارك. أقرأ رسائلك الآن وسأرد عليك هنا بعد قليل."),
    ("اتصال", "ar", "قد يكون الحديث عبر الهاتف أسرع. هل يمكننا الاتصال بك على هذا الرقم، وما الوقت المناسب لك؟"),
    ("شيء آخر", "ar", "هل هناك أي شيء آخر يمكنني مساعدتك فيه اليوم؟"),
)


def upgrade() -> None:
    with op.batch_alter_table("staff_accounts") as batch:
        batch.add_column(sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false()))
    table = op.create_table(
        "canned_replies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(80), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("body", sa.String(1000), nullable=False),
        sa.Column("created_by", sa.String(64)),
        sa.Column("updated_by", sa.String(64)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("uq_canned_replies_title_language", "canned_replies", ["language", "title"], unique=True)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(table, [{"title": title, "language": language, "body": body, "created_at": now,
                            "updated_at": now} for title, language, body in STARTERS])


def downgrade() -> None:
    op.drop_index("uq_canned_replies_title_language", table_name="canned_replies")
    op.drop_table("canned_replies")
    with op.batch_alter_table("staff_accounts") as batch:
        batch.drop_column("is_admin")
