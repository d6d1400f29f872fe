"""Command-line commands of clinic.privacy (registered by clinic.__main__).

``python -m clinic erase <conversation_id>`` erases one conversation (staff command);
``python -m clinic retention [--days N]`` erases conversations idle for more than N
days (default ``retention_days`` in clinic.yml), removes expired staff console sessions and
treatment records, aftercare messages and patients' photos older than that.
Output has counts and the audit hash only.
"""
from __future__ import annotations


def _erase(args) -> int:
    from clinic.privacy.erasure import erase_conversation_data

    report = erase_conversation_data(args.conversation_id, reason="staff")
    print(f"erased: {report.tracker_events} tracker events, {report.clinic_rows} clinic rows "
          f"(audit {report.subject_hash[:12]})")
    return 0


def _retention(args) -> int:
    from clinic.facts import load_facts
    from clinic.privacy.retention import (apply_retention, purge_console_sessions, purge_old_aftercare,
                                         purge_old_photos, purge_old_treatments)
    from clinic.settings import get_settings

    days = args.days if args.days is not None else load_facts(get_settings().clinic_file).retention_days
    if days < 1:
        print("--days must be at least 1")
        return 2
    reports = apply_retention(days)
    events = sum(r.tracker_events for r in reports)
    print(f"retention {days} days: erased {len(reports)} conversations ({events} tracker events)")
    print(f"expired staff console sessions removed: {purge_console_sessions()}")
    print(f"treatment records older than {days} days removed: {purge_old_treatments(days)}")
    print(f"aftercare messages and check-in answers older than {days} days removed: {purge_old_aftercare(days)}")
    print(f"patients' photos older than {days} days removed: {purge_old_photos(days)}")
    return 0


def register(commands) -> None:
    """Add this package's commands to ``commands`` (an argparse sub-parser collection)."""
    erase = commands.add_parser("erase", help="erase one conversation's data (audit row kept)")
    erase.add_argument("conversation_id")
    erase.set_defaults(func=_erase)
    retention = commands.add_parser("retention", help="erase conversations idle for more than N days")
    retention.add_argument("--days", type=int, default=None, help="default: retention_days in clinic.yml")
    retention.set_defaults(func=_retention)
