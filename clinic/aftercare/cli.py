"""Command-line commands of clinic.aftercare (registered by clinic.__main__).

``python -m clinic treatments record <conversation_id|phone> --date YYYY-MM-DD --area face
--practitioner layla-haddad [--by sara]`` records a session; ``python -m clinic treatments
list <conversation_id|phone>`` shows a patient's sessions, newest first; ``python -m clinic
treatments purge [--days N]`` deletes records of sessions older than N days (default
``retention_days`` in clinic.yml: records of patients who never wrote have no conversation
for ``python -m clinic retention`` to erase). Errors are one line on stderr and exit code 2.
"""
from __future__ import annotations

import getpass
import sys
from datetime import date


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD.") from None


def _record(args) -> int:
    from clinic.aftercare.service import TreatmentError, record_treatment
    from clinic.db import default_session_factory

    try:
        view = record_treatment(default_session_factory(), args.patient, _date(args.date), args.area,
                                args.practitioner, args.by or getpass.getuser())
    except (TreatmentError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"recorded treatment {view.id}: {view.conversation_id} on {view.treated_on.isoformat()}, "
          f"{view.area}, {view.practitioner_key}")
    return 0


def _list(args) -> int:
    from clinic.aftercare.service import TreatmentError, list_treatments, resolve_conversation
    from clinic.db import default_session_factory

    try:
        with default_session_factory().begin() as session:
            conversation_id = resolve_conversation(session, args.patient)
            rows = list_treatments(session, conversation_id)
    except TreatmentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not rows:
        print(f"no treatments recorded for {conversation_id}")
    for row in rows:
        print(f"{row.treated_on.isoformat()}  {row.area:<12} {row.practitioner_key:<20} "
              f"recorded by {row.recorded_by}  ({row.conversation_id})")
    return 0


def _purge(args) -> int:
    from clinic.aftercare.service import purge_old_treatments
    from clinic.db import default_session_factory
    from clinic.facts import load_facts
    from clinic.settings import get_settings

    days = args.days if args.days is not None else load_facts(get_settings().clinic_file).retention_days
    if days < 1:
        print("error: --days must be at least 1", file=sys.stderr)
        return 2
    with default_session_factory().begin() as session:
        removed = purge_old_treatments(session, days)
    print(f"treatment records older than {days} days removed: {removed}")
    return 0


def register(commands) -> None:
    treatments = commands.add_parser("treatments", help="record and list patients' treatment sessions")
    actions = treatments.add_subparsers(dest="treatments_command", required=True)
    record = actions.add_parser("record", help="record a session done (staff)")
    record.add_argument("patient", help="conversation id (wa-971...) or phone number")
    record.add_argument("--date", required=True, help="the session's date, YYYY-MM-DD (clinic time)")
    record.add_argument("--area", required=True, help="area treated, e.g. face, cheeks, back")
    record.add_argument("--practitioner", required=True, help="practitioner key, e.g. layla-haddad")
    record.add_argument("--by", default=None, help="who records it (default: the login name)")
    record.set_defaults(func=_record)
    listing = actions.add_parser("list", help="a patient's sessions, newest first")
    listing.add_argument("patient", help="conversation id (wa-971...) or phone number")
    listing.set_defaults(func=_list)
    purge = actions.add_parser("purge", help="delete records of sessions older than the retention period")
    purge.add_argument("--days", type=int, default=None, help="default: retention_days in clinic.yml")
    purge.set_defaults(func=_purge)
