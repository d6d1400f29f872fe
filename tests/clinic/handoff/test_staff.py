"""Staff accounts: argon2 hashes, validation, authentication."""
import pytest

from clinic.handoff.models import StaffAccount
from clinic.handoff.staff import StaffError, authenticate, create_staff, get_staff, set_password

PASSWORD = "correct horse battery"


def test_create_and_authenticate(sqlite_factory):
    with sqlite_factory.begin() as session:
        account = create_staff(session, "  Sara ", "Sara", PASSWORD)
        assert account.username == "sara" and account.password_hash.startswith("$argon2id$")
        assert PASSWORD not in account.password_hash
    with sqlite_factory.begin() as session:
        member = authenticate(session, "SARA", PASSWORD)
        assert (member.username, member.first_name) == ("sara", "Sara")
        assert authenticate(session, "sara", PASSWORD + "x") is None
        assert authenticate(session, "nobody", PASSWORD) is None
        assert authenticate(session, "sara", "") is None
        assert authenticate(session, "sara", "x" * 5000) is None


@pytest.mark.parametrize("username, first_name, password", [
    ("", "Sara", PASSWORD), ("a", "Sara", PASSWORD), ("sara smith", "Sara", PASSWORD),
    ("<script>", "Sara", PASSWORD), ("sara", "", PASSWORD), ("sara", "<b>Sara</b>", PASSWORD),
    ("sara", "Sara", "short"), ("sara", "Sara", "x" * 2000),
])
def test_bad_accounts_are_refused(sqlite_factory, username, first_name, password):
    with sqlite_factory.begin() as session, pytest.raises(StaffError):
        create_staff(session, username, first_name, password)


def test_duplicate_inactive_and_new_password(sqlite_factory):
    with sqlite_factory.begin() as session:
        create_staff(session, "omar", "عمر", "كلمة سر طويلة جدا 😀")
    with sqlite_factory.begin() as session, pytest.raises(StaffError, match="taken"):
        create_staff(session, "omar", "Omar", PASSWORD)
    with sqlite_factory.begin() as session:
        assert authenticate(session, "omar", "كلمة سر طويلة جدا 😀").first_name == "عمر"
        set_password(session, "omar", PASSWORD)
    with sqlite_factory.begin() as session:
        assert authenticate(session, "omar", PASSWORD)
        session.query(StaffAccount).filter_by(username="omar").one().is_active = False
    with sqlite_factory.begin() as session:
        assert authenticate(session, "omar", PASSWORD) is None and get_staff(session, "omar") is None
