"""Command-line commands of clinic.handoff (registered by clinic.__main__).

``python -m clinic create-staff <username> --first-name Sara`` asks for the password
twice (or reads one line from stdin with ``--password-stdin``).
"""
from __future__ import annotations

import getpass
import sys


def _read_password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise ValueError("The passwords differ.")
    return first


def _create_staff(args) -> int:
    from clinic.db import default_session_factory
    from clinic.handoff.staff import StaffError, create_staff, set_password

    try:
        password = _read_password(args)
        with default_session_factory().begin() as session:
            if args.update:
                set_password(session, args.username, password)
            else:
                create_staff(session, args.username, args.first_name, password)
    except (StaffError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{'updated' if args.update else 'created'} staff account {args.username.strip().lower()}")
    return 0


def register(commands) -> None:
    """Add this package's commands to ``commands`` (an argparse sub-parser collection)."""
    parser = commands.add_parser("create-staff", help="create a staff console account (argon2-hashed password)")
    parser.add_argument("username")
    parser.add_argument("--first-name", default="", help="shown to patients with every reply")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    parser.add_argument("--update", action="store_true", help="set a new password for an existing account")
    parser.set_defaults(func=_create_staff)
