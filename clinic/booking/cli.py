"""Command-line commands of clinic.booking (registered by clinic.__main__).

``load-schedule FILE``, ``seed-demo``, ``appointments [--date]``, ``cancel REFERENCE``.
Output never contains phone numbers; names only in the staff's own day list.
"""
from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

from clinic.booking.schedule import DEFAULT_SCHEDULE, ScheduleError, clinic_facts, load_schedule, read_schedule_file
from clinic.booking.store import DUBAI


def _factory():
    from clinic.db import default_session_factory

    return default_session_factory()


def _load(path: Path) -> int:
    try:
        schedule = read_schedule_file(path)
    except (OSError, ScheduleError, ValueError, TypeError) as error:
        print(f"cannot load {path}: {error}", file=sys.stderr)
        return 2
    with _factory().begin() as session:
        counts = load_schedule(session, schedule, clinic_facts())
    print(f"loaded {counts['practitioners']} practitioners and {counts['closures']} closures from {path}")
    return 0


def _load_schedule(args) -> int:
    return _load(Path(args.file))


def _seed_demo(_args) -> int:
    """Services from clinic.yml plus the demo schedule.yml; running it twice changes nothing."""
    return _load(DEFAULT_SCHEDULE)


def _appointments(args) -> int:
    from clinic.booking.service import appointments_on

    try:
        day = date.fromisoformat(args.date) if args.date else datetime.now(DUBAI).date()
    except ValueError:
        print("--date must be YYYY-MM-DD", file=sys.stderr)
        return 2
    with _factory()() as session:
        rows = appointments_on(session, day)
    print(f"{day.isoformat()}: {len(rows)} appointment(s)")
    for a in rows:
        print(f"{a.starts_at:%H:%M}-{a.ends_at:%H:%M}  {a.reference}  {a.status:<9}  {a.service_name}  "
              f"{a.practitioner_name}  {a.patient_name or '-'}")
    return 0


def _cancel(args) -> int:
    from clinic.booking.service import NotFound, cancel

    try:
        a = cancel(_factory(), args.reference, phone=None)
    except NotFound:
        print(f"no appointment {args.reference!r}", file=sys.stderr)
        return 1
    print(f"{a.reference} cancelled ({a.starts_at:%Y-%m-%d %H:%M} Asia/Dubai)")
    return 0


def register(commands) -> None:
    """Add this package's commands to ``commands`` (an argparse sub-parser collection)."""
    p = commands.add_parser("load-schedule", help="load practitioners' hours and closures from a YAML file")
    p.add_argument("file")
    p.set_defaults(func=_load_schedule)
    commands.add_parser("seed-demo", help="load the demo schedule (schedule.yml) and services").set_defaults(
        func=_seed_demo)
    p = commands.add_parser("appointments", help="list the appointments of a day (Asia/Dubai)")
    p.add_argument("--date", help="YYYY-MM-DD (default: today)")
    p.set_defaults(func=_appointments)
    p = commands.add_parser("cancel", help="cancel an appointment by its reference")
    p.add_argument("reference")
    p.set_defaults(func=_cancel)
