"""Staff accounts for the console: argon2id password hashes (argon2-cffi)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.handoff.models import StaffAccount
from clinic.handoff.sessions import end_all_sessions
from clinic.handoff.team import TeamError, check_role

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024
_hasher = PasswordHasher()
# verified when the username is unknown, so both cases take the same time
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class StaffError(ValueError):
    """A staff account cannot be created or changed as asked."""


@dataclass(frozen=True)
class StaffMember:
    """What the console keeps about the logged-in member of staff."""

    username: str
    first_name: str
    role: Optional[str] = None  # clinic.handoff.team.ROLES key, shown to patients
    is_admin: bool = False  # may edit the canned replies (clinic.handoff.canned)


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def create_staff(session: Session, username: str, first_name: str, password: str,
                 role: Optional[str] = None, is_admin: bool = False) -> StaffAccount:
    """Add a console account; :class:`StaffError` on a bad or taken name, an unknown role
    or a weak password."""
    username = normalise_username(username)
    try:
        role = check_role(role)
    except TeamError as error:
        raise StaffError(str(error)) from None
    first_name = (first_name or "").strip()
    if not USERNAME.match(username):
        raise StaffError("Usernames are 2-64 characters: lower-case letters, digits, '.', '_' or '-'.")
    if not first_name or len(first_name) > 64 or any(c in first_name for c in "<>\n\r\t"):
        raise StaffError("A first name of 1-64 characters (no <, > or line breaks) is required.")
    check_password(password)
    if session.execute(select(StaffAccount).where(StaffAccount.username == username)).first():
        raise StaffError(f"The username {username!r} is taken.")
    account = StaffAccount(username=username, first_name=first_name, role=role,
                           password_hash=_hasher.hash(password), is_active=True, is_admin=bool(is_admin))
    session.add(account)
    session.flush()
    return account


def check_password(password: str) -> None:
    if not password or len(password) < MIN_PASSWORD_CHARS:
        raise StaffError(f"Passwords need at least {MIN_PASSWORD_CHARS} characters.")
    if len(password) > MAX_PASSWORD_CHARS:
        raise StaffError("That password is too long.")


def set_password(session: Session, username: str, password: str) -> None:
    """Replace a member of staff's password and end all their console sessions."""
    check_password(password)
    account = _find(session, username)
    if account is None:
        raise StaffError("No such member of staff.")
    account.password_hash = _hasher.hash(password)
    end_all_sessions(session, account.username)


def _find(session: Session, username: str) -> Optional[StaffAccount]:
    return session.execute(
        select(StaffAccount).where(StaffAccount.username == normalise_username(username))
    ).scalars().first()


def authenticate(session: Session, username: str, password: str) -> Optional[StaffMember]:
    """The member of staff if ``password`` is theirs and the account is active, else None."""
    account = _find(session, username) if username and len(username) <= 64 else None
    if not password or len(password) > MAX_PASSWORD_CHARS:
        return None
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None or not account.is_active:
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    return StaffMember(account.username, account.first_name, account.role, bool(account.is_admin))


def set_role(session: Session, username: str, role: Optional[str]) -> None:
    """Set (or with None clear) the role patients see; :class:`StaffError` if unknown."""
    account = _find(session, username)
    if account is None:
        raise StaffError("No such member of staff.")
    try:
        account.role = check_role(role)
    except TeamError as error:
        raise StaffError(str(error)) from None


def set_admin(session: Session, username: str, is_admin: bool) -> None:
    """Let a member of staff edit the canned replies (or no longer)."""
    account = _find(session, username)
    if account is None:
        raise StaffError("No such member of staff.")
    account.is_admin = bool(is_admin)


def first_names(session: Session, usernames) -> dict:
    """username -> first name, for the accounts among ``usernames`` (the console shows who
    holds a conversation)."""
    names = [u for u in set(usernames) if u]
    if not names:
        return {}
    rows = session.execute(select(StaffAccount.username, StaffAccount.first_name)
                           .where(StaffAccount.username.in_(names))).all()
    return {username: first_name for username, first_name in rows}


def get_staff(session: Session, username: str) -> Optional[StaffMember]:
    """The active member of staff called ``username``, if any."""
    account = _find(session, username)
    if account is None or not account.is_active:
        return None
    return StaffMember(account.username, account.first_name, account.role, bool(account.is_admin))
