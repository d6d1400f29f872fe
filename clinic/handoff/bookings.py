"""The appointments a conversation booked, as one line each for the staff console."""
from __future__ import annotations

import logging
from typing import List

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)
MAX_APPOINTMENTS = 20


def appointments_of(session: Session, conversation_id: str) -> List[str]:
    """``REF: service with practitioner, Mon 01 Dec 10:00 (status)``, newest first; [] when
    the booking tables are missing or unreadable (the console still works)."""
    try:
        from clinic.booking.models import Appointment, Patient
        from clinic.booking.store import view

        rows = session.execute(
            select(Appointment).join(Patient, Appointment.patient_id == Patient.id)
            .where(Patient.conversation_id == conversation_id)
            .order_by(Appointment.starts_at.desc()).limit(MAX_APPOINTMENTS)
        ).scalars().all()
        lines = []
        for appointment in rows:
            v = view(appointment)
            lines.append(f"{v.reference}: {v.service_name} with {v.practitioner_name}, "
                         f"{v.starts_at.strftime('%a %d %b %H:%M')} ({v.status})")
        return lines
    except (ImportError, SQLAlchemyError, AttributeError) as error:
        logger.warning("console: bookings unavailable (%s)", type(error).__name__)
        return []
