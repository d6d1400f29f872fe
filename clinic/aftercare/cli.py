"""Command-line commands of clinic.aftercare (registered by clinic.__main__).

``python -m clinic treatments record <conversation_id|phone> --date YYYY-MM-DD --area face
--practitioner layla-haddad [--by sara]`` records a session; ``python -m clinic treatments
list <conversation_id|phone>`` shows a patient's sessions, newest first; ``python -m clinic
treatments purge [--days N]`` deletes records of sessions older than N days (default
``retention_days`` in clinic.yml: records of patients who never wrote have no conversation
for ``python -m clinic retention`` to erase), and the aftercare jobs and opt-ins as old.
``record ... --checkins [--language ar]`` records that the patient said yes to check-ins (at
booking, at the clinic) before the session is recorded, so its check-ins are planned;
``python -m clinic treatments checkins <patient> on|off`` changes that answer later (``off``
cancels every planned message). Errors are one line on stderr and exit code 2.
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

    factory = default_session_factory()
    try:
        if args.checkins:
            _set_optin(factory, args.patient, True, args.language)
        view = record_treatment(factory, args.patient, _date(args.date), args.area,
                                args.practitioner, args.by or getpass.getuser())
    except (TreatmentError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"recorded treatment {view.id}: {view.conversation_id} on {view.treated_on.isoformat()}, "
          f"{view.area}, {view.practitioner_key}")
    return 0


def _set_optin(factory, patient: str, on: bool, language: str) -> str:
    """Opt the patient in (source ``staff``) or out; the conversation id."""
    from clinic.aftercare.checkins import opt_in, opt_out, sendable
    from clinic.aftercare.service import TreatmentError, resolve_conversation

    with factory.begin() as session:
        conversation_id = resolve_conversation(session, patient)
        if on and not sendable(conversation_id):
            raise TreatmentError(
                f"{conversation_id} is not a WhatsApp conversation: check-ins go out on WhatsApp only.")
        if on:
            opt_in(session, conversation_id, "staff", language)
        else:
            opt_out(session, conversation_id, "staff")
    return conversation_id


def _checkins(args) -> int:
    from clinic.aftercare.checkins import load_config, schedule_latest_treatment
    from clinic.aftercare.service import TreatmentError
    from clinic.db import default_session_factory

    factory = default_session_factory()
    try:
        conversation_id = _set_optin(factory, args.patient, args.state == "on", args.language)
    except TreatmentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.state == "off":
        print(f"check-ins and reminders off for {conversation_id}; planned messages cancelled")
        return 0
    planned = schedule_latest_treatment(factory, conversation_id, load_config())
    print(f"check-ins and reminders on for {conversation_id}; {len(planned)} check-in(s) planned")
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
    from clinic.aftercare.checkins import purge_old_jobs

    with default_session_factory().begin() as session:
        removed = purge_old_treatments(session, days)
        jobs = purge_old_jobs(session, days)
    print(f"treatment records older than {days} days removed: {removed}; aftercare jobs and opt-ins: {jobs}")
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
    record.add_argument("--checkins", action="store_true",
                        help="the patient said yes to WhatsApp check-ins and appointment reminders")
    record.add_argument("--language", choices=("en", "ar"), default="en", help="language of the check-ins")
    record.set_defaults(func=_record)
    checkins = actions.add_parser("checkins", help="turn a patient's WhatsApp check-ins and reminders on or off")
    checkins.add_argument("patient", help="conversation id (wa-971...) or phone number")
    checkins.add_argument("state", choices=("on", "off"))
    checkins.add_argument("--language", choices=("en", "ar"), default="en", help="language of the check-ins")
    checkins.set_defaults(func=_checkins)
    listing = actions.add_parser("list", help="a patient's sessions, newest first")
    listing.add_argument("patient", help="conversation id (wa-971...) or phone number")
    listing.set_defaults(func=_list)
    purge = actions.add_parser("purge", help="delete records of sessions older than the retention period")
    purge.add_argument("--days", type=int, default=None, help="default: retention_days in clinic.yml")
    purge.set_defaults(func=_purge)
