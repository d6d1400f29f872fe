"""Command-line commands of clinic.handoff (registered by clinic.__main__).

``python -m clinic create-staff <username> --first-name Sara [--role nurse]`` asks for the
password twice (or reads one line from stdin with ``--password-stdin``); ``--update``
sets a new password (and with ``--role`` a new role; ``--role none`` clears it); ``--admin``
lets the account edit the canned replies (``python -m clinic set-admin <username> on|off``). Patients
see the first name and role with every staff message ("Sara (Nurse, clinic team)").
``python -m clinic demo-staff`` (development only) makes sure a ``demo`` account exists
whose password is ``CONSOLE_DEMO_PASSWORD`` in the git-ignored ``.env`` (generated
there on first use; never in the repository).
"""
from __future__ import annotations

import getpass
import os
import secrets
import sys
from pathlib import Path
from typing import Optional

DEMO_USERNAME = "demo"
DEMO_PASSWORD_NAME = "CONSOLE_DEMO_PASSWORD"


def _read_password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise ValueError("The passwords differ.")
    return first


def _create_staff(args) -> int:
    from clinic.db import default_session_factory
    from clinic.handoff.staff import StaffError, create_staff, set_admin, set_password, set_role

    role = None if (args.role or "").lower() == "none" else args.role
    try:
        password = _read_password(args)
        with default_session_factory().begin() as session:
            if args.update:
                set_password(session, args.username, password)
                if args.role is not None:
                    set_role(session, args.username, role)
                if args.admin:
                    set_admin(session, args.username, True)
            else:
                create_staff(session, args.username, args.first_name, password, role=role, is_admin=args.admin)
    except (StaffError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{'updated' if args.update else 'created'} staff account {args.username.strip().lower()}")
    return 0


def _set_admin(args) -> int:
    from clinic.db import default_session_factory
    from clinic.handoff.staff import StaffError, set_admin

    try:
        with default_session_factory().begin() as session:
            set_admin(session, args.username, args.state == "on")
    except StaffError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.username.strip().lower()} {'may' if args.state == 'on' else 'may no longer'} edit the canned replies")
    return 0


def demo_password(env_file: Path) -> str:
    """``CONSOLE_DEMO_PASSWORD`` from the environment or ``.env``; generated into ``.env``."""
    if os.environ.get(DEMO_PASSWORD_NAME):
        return os.environ[DEMO_PASSWORD_NAME]
    existing = env_file.read_text(encoding="utf-8") if env_file.exists() else ""
    for line in existing.splitlines():
        name, _, value = line.partition("=")
        if name.strip() == DEMO_PASSWORD_NAME and value.strip():
            return value.strip()
    password = secrets.token_urlsafe(18)
    prefix = "" if not existing or existing.endswith("\n") else "\n"
    env_file.write_text(f"{existing}{prefix}{DEMO_PASSWORD_NAME}={password}\n", encoding="utf-8")
    env_file.chmod(0o600)
    return password


def _demo_staff(args, env_file: Optional[Path] = None) -> int:
    from clinic.db import default_session_factory
    from clinic.handoff.staff import create_staff, get_staff, set_admin, set_password
    from clinic.settings import PROJECT_ROOT, get_settings

    settings = get_settings()
    if settings.is_production:
        print("error: no demo account in production; use create-staff", file=sys.stderr)
        return 2
    password = demo_password(env_file or PROJECT_ROOT / ".env")
    with default_session_factory().begin() as session:
        if get_staff(session, DEMO_USERNAME) is None:
            create_staff(session, DEMO_USERNAME, args.first_name, password, is_admin=True)
        else:
            set_password(session, DEMO_USERNAME, password)
            set_admin(session, DEMO_USERNAME, True)
    print(f"  Staff console:       http://{settings.web_host}:{settings.web_port}/console/"
          f"  (user {DEMO_USERNAME}, password: {DEMO_PASSWORD_NAME} in .env)")
    return 0


def register(commands) -> None:
    """Add this package's commands to ``commands`` (an argparse sub-parser collection)."""
    from clinic.handoff.team import ROLES

    parser = commands.add_parser("create-staff", help="create a staff console account (argon2-hashed password)")
    parser.add_argument("username")
    parser.add_argument("--first-name", default="", help="shown to patients with every reply")
    parser.add_argument("--role", default=None,
                        help="shown to patients after the first name: " + ", ".join(ROLES) + " (or none)")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    parser.add_argument("--update", action="store_true", help="set a new password for an existing account")
    parser.add_argument("--admin", action="store_true", help="may edit the canned replies in the console")
    parser.set_defaults(func=_create_staff)
    admin = commands.add_parser("set-admin", help="let a console account edit the canned replies (on) or not (off)")
    admin.add_argument("username")
    admin.add_argument("state", choices=("on", "off"))
    admin.set_defaults(func=_set_admin)
    demo = commands.add_parser("demo-staff", help="development: a 'demo' console account, password generated into .env")
    demo.add_argument("--first-name", default="Demo", help="shown to patients with every reply")
    demo.set_defaults(func=_demo_staff)
