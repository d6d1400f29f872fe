"""The sender of check-ins and booking reminders: ``python -m clinic.aftercare.worker``.

Every ``AFTERCARE_POLL_SECONDS`` (30 s) a pass: plan the reminders of upcoming appointments
(:func:`clinic.aftercare.checkins.plan_booking_reminders`), then claim due jobs
(:func:`clinic.aftercare.jobs.claim_due`: one conditional UPDATE per row with a lease, so of
several workers exactly one gets each job, and a job whose worker died is claimed again when
its lease runs out) and send each as an approved WhatsApp template through the Graph API
(:mod:`clinic.channels.graph_api`; templates and texts: docs/whatsapp-templates.md).

Per job, checked again just before sending: quiet hours (21:00-09:00 Dubai: nothing is
claimed, and a job claimed at 20:59 goes back unsent to 09:00); the patient's opt-in ("stop"
cancels at once); for a reminder, the appointment still confirmed at the same time. Then:

* sent: ``sent``;
* 429, 5xx, a timeout or a connection error (after the client's own quick retries): due again
  after 10, 20, 40, 80 minutes, ``failed`` after :data:`clinic.aftercare.jobs.MAX_ATTEMPTS`;
* any other 4xx (a template not approved, wrong parameters): ``failed`` at once, an ERROR log
  line for staff naming the template and Meta's error code, and a note in the console
  (``channel_undelivered``, reason ``template_refused``);
* a number that is not on WhatsApp (error 131026): ``failed`` at once, note ``not_on_whatsapp``.

Without WhatsApp settings (``WHATSAPP_ACCESS_TOKEN``, ``WHATSAPP_PHONE_NUMBER_ID``) the worker
plans but sends nothing: jobs wait. SIGTERM or SIGINT: the job being sent is finished, then the
process exits 0. Time is injected (``clock``; ``--now`` for tests, refused in production), so a
test runs a whole course in seconds. Logs carry job ids, never numbers or texts.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import socket
import sys
from collections import Counter
from datetime import datetime, timezone
from typing import Callable, Dict, Optional

from sqlalchemy.orm import sessionmaker

from clinic.aftercare import messages
from clinic.aftercare.checkins import AftercareConfig, plan_booking_reminders, sendable
from clinic.aftercare.jobs import (MAX_ATTEMPTS, cancel, claim_due, in_quiet_hours, mark_failed, mark_sent,
                                   outside_quiet_hours, release, retry_delay)
from clinic.aftercare.models import AftercareJob, AftercareOptIn
from clinic.channels.graph_api import NOT_ON_WHATSAPP, REFUSED, RETRY, SENT, GraphClient, delivery_outcome, error_code

logger = logging.getLogger("clinic.aftercare.worker")
Clock = Callable[[], datetime]
CHANNEL = "whatsapp"


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def fixed_clock(moment: datetime) -> Clock:
    return lambda: moment


class Worker:
    """One sender; several may run at once against the same database."""

    def __init__(self, factory: sessionmaker, graph: Optional[GraphClient], templates: messages.Templates,
                 clinic: messages.ClinicLine, config: Optional[AftercareConfig] = None,
                 clock: Clock = system_clock, name: Optional[str] = None, batch: int = 10) -> None:
        self.factory = factory
        self.graph = graph
        self.templates = templates
        self.clinic = clinic
        self.config = config or AftercareConfig()
        self.clock = clock
        self.name = (name or f"{socket.gethostname()}-{os.getpid()}")[:64]
        self.batch = batch
        self._said_unconfigured = False
        self._stop = asyncio.Event()  # set by run()'s caller on SIGTERM

    @property
    def can_send(self) -> bool:
        s = self.graph.settings if self.graph is not None else None
        return bool(s is not None and s.access_token and s.phone_number_id)

    async def run_once(self) -> Dict[str, int]:
        """One pass: plan reminders, claim due jobs, send them. Counts per outcome."""
        counts: Counter = Counter()
        now = self.clock()
        counts["planned"] = len(await asyncio.to_thread(plan_booking_reminders, self.factory, self.config, now))
        if in_quiet_hours(now):
            return dict(counts)
        if not self.can_send:
            if not self._said_unconfigured:
                logger.warning("aftercare: WhatsApp sending is not configured (WHATSAPP_ACCESS_TOKEN, "
                               "WHATSAPP_PHONE_NUMBER_ID); check-ins and reminders wait")
                self._said_unconfigured = True
            return dict(counts)
        for job_id in await asyncio.to_thread(claim_due, self.factory, self.name, now, self.batch):
            if self._stop.is_set():  # shutting down: the rest go back unsent, for the next worker
                await asyncio.to_thread(release, self.factory, job_id, self.name, now)
                counts["released"] += 1
                continue
            counts[await self.process(job_id)] += 1
        return dict(counts)

    async def run(self, stop: asyncio.Event, poll: float) -> None:
        """Passes until ``stop`` is set (the job being sent is finished, the other claimed ones go
        back unsent); a failing pass (database down) is logged and retried."""
        self._stop = stop
        while not stop.is_set():
            try:
                counts = await self.run_once()
                if any(v for k, v in counts.items()):
                    logger.info("aftercare: pass %s", json.dumps(counts, sort_keys=True))
            except Exception as error:  # noqa: BLE001 - the worker outlives a database outage
                logger.error("aftercare: pass failed: %s", type(error).__name__)
            try:
                await asyncio.wait_for(stop.wait(), timeout=poll)
            except asyncio.TimeoutError:
                pass

    async def aclose(self) -> None:
        if self.graph is not None:
            await self.graph.aclose()

    # -- one job ---------------------------------------------------------------------------

    def _load(self, job_id: int):
        from clinic.booking.models import Appointment

        with self.factory() as session:
            job = session.get(AftercareJob, job_id)
            if job is None:
                return None
            optin = session.get(AftercareOptIn, job.conversation_id)
            appointment = session.get(Appointment, job.appointment_id) if job.appointment_id else None
            return {
                "conversation_id": job.conversation_id, "kind": job.kind, "day": job.day,
                "attempts": job.attempts, "dedupe_key": job.dedupe_key,
                "opted_in": bool(optin is not None and optin.opted_in),
                "language": optin.language if optin is not None else "en",
                "appointment": None if appointment is None else {
                    "status": appointment.status, "starts_at": appointment.starts_at,
                    "reference": appointment.reference},
            }

    def _message(self, job: dict, now: datetime) -> Optional[messages.Outgoing]:
        if job["kind"] == "checkin" and job["day"]:
            return messages.checkin(self.templates, self.clinic, job["language"], job["day"])
        if job["kind"] == "booking_reminder":
            appointment = job["appointment"]
            if (appointment is None or appointment["status"] != "confirmed"
                    or f":{appointment['starts_at']:%Y%m%d%H%M}:" not in job["dedupe_key"]
                    or appointment["starts_at"].replace(tzinfo=timezone.utc) <= now):
                return None
            return messages.booking_reminder(self.templates, self.clinic, job["language"],
                                             appointment["starts_at"], appointment["reference"])
        return None

    async def process(self, job_id: int) -> str:
        """Send one claimed job; the outcome (sent, retry, failed, cancelled, postponed)."""
        job = await asyncio.to_thread(self._load, job_id)
        if job is None:
            return "gone"
        now = self.clock()
        if in_quiet_hours(now):
            await asyncio.to_thread(release, self.factory, job_id, self.name, outside_quiet_hours(now))
            return "postponed"
        if not job["opted_in"]:
            await asyncio.to_thread(cancel, self.factory, job_id, self.name, "opted out")
            logger.info("aftercare: job %d cancelled: the patient opted out", job_id)
            return "cancelled"
        if not sendable(job["conversation_id"]):
            await asyncio.to_thread(mark_failed, self.factory, job_id, self.name, "not a WhatsApp conversation",
                                    now, give_up=True)
            logger.error("aftercare: job %d failed: the conversation is not a WhatsApp address", job_id)
            return "failed"
        message = self._message(job, now)
        if message is None:
            await asyncio.to_thread(cancel, self.factory, job_id, self.name,
                                    "appointment cancelled, moved or past")
            logger.info("aftercare: job %d cancelled: its appointment was cancelled, moved or is past", job_id)
            return "cancelled"
        if self.graph is None:  # run_once sends only when can_send
            raise RuntimeError("aftercare: no WhatsApp client to send with")
        result = await self.graph.send(messages.as_payload(job["conversation_id"][3:], message))
        outcome = delivery_outcome(result)
        if outcome == SENT:
            if not await asyncio.to_thread(mark_sent, self.factory, job_id, self.name, now):
                logger.warning("aftercare: job %d was sent but its claim had been taken over or cancelled", job_id)
            else:
                logger.info("aftercare: job %d sent (%s, template %s/%s)", job_id, job["kind"], message.template,
                            message.language)
            return "sent"
        if outcome == RETRY:
            status = await asyncio.to_thread(mark_failed, self.factory, job_id, self.name,
                                             result.error or "unavailable", now, retry_delay(job["attempts"]))
            if status == "failed":
                logger.error("aftercare: job %d failed after %d attempts: WhatsApp unavailable (%s)",
                             job_id, MAX_ATTEMPTS, result.error)
                await self._note(job, "send_failed", message, f"WhatsApp unavailable ({result.error})")
                return "failed"
            logger.warning("aftercare: job %d: WhatsApp unavailable (%s), attempt %d of %d, next in %d min",
                           job_id, result.error, job["attempts"], MAX_ATTEMPTS,
                           retry_delay(job["attempts"]).total_seconds() // 60)
            return "retry"
        code = error_code(result)
        reason = "not_on_whatsapp" if outcome == NOT_ON_WHATSAPP else "template_refused"
        await asyncio.to_thread(mark_failed, self.factory, job_id, self.name,
                                f"{reason}: HTTP {result.status}, error {code}", now, give_up=True)
        if outcome == REFUSED:
            logger.error("aftercare: job %d failed, not retried: WhatsApp refused template %r (%s) with HTTP %s, "
                         "error %s; check that it is approved with %d body parameters and %d quick replies "
                         "(docs/whatsapp-templates.md)", job_id, message.template, message.language, result.status,
                         code, len(message.parameters), len(message.quick_replies))
            detail = (f"WhatsApp refused template {message.template} ({message.language}): "
                      f"HTTP {result.status}, error {code}")
        else:
            logger.error("aftercare: job %d failed, not retried: the number cannot receive WhatsApp messages "
                         "(error %s)", job_id, code)
            detail = f"the number cannot receive WhatsApp messages (error {code})"
        await self._note(job, reason, message, detail)
        return "failed"

    async def _note(self, job: dict, reason: str, message: messages.Outgoing, detail: str) -> None:
        """A note staff see beside the conversation (``channel_undelivered``)."""
        from clinic.channels.store import record_undelivered

        what = f"day-{job['day']} check-in" if job["kind"] == "checkin" else "appointment reminder"
        try:
            await asyncio.to_thread(record_undelivered, self.factory, job["conversation_id"], CHANNEL, reason,
                                    f"[{what} not sent] {detail}")
        except Exception as error:  # noqa: BLE001 - the log line remains
            logger.error("aftercare: could not leave a note for staff: %s", type(error).__name__)


def build_worker(factory: Optional[sessionmaker] = None, clock: Clock = system_clock, name: Optional[str] = None,
                 graph: Optional[GraphClient] = None, settings=None) -> Worker:
    """A worker from the process settings and clinic.yml."""
    from clinic.aftercare.checkins import load_config
    from clinic.db import default_session_factory
    from clinic.facts import load_facts
    from clinic.settings import get_settings

    settings = settings or get_settings()
    return Worker(
        factory or default_session_factory(),
        graph or GraphClient(settings.channels.whatsapp),
        messages.Templates(settings.checkin_template, settings.reminder_template),
        messages.ClinicLine.from_facts(load_facts(settings.clinic_file)),
        load_config(settings.clinic_file), clock, name)


async def serve(worker: Worker, poll: float) -> None:
    """Run until SIGTERM or SIGINT, then finish the current job and return."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    logger.info("aftercare: worker %s started (a pass every %.0f s)", worker.name, poll)
    try:
        await worker.run(stop, poll)
    finally:
        await worker.aclose()
    logger.info("aftercare: worker %s stopped", worker.name)


async def _once(worker: Worker) -> Dict[str, int]:
    try:
        return await worker.run_once()
    finally:
        await worker.aclose()


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m clinic.aftercare.worker",
                                     description="Send due aftercare check-ins and booking reminders.")
    parser.add_argument("--once", action="store_true", help="one pass, print its counts as JSON, exit")
    parser.add_argument("--poll", type=float, default=None, help="seconds between passes (AFTERCARE_POLL_SECONDS)")
    parser.add_argument("--now", default=None, help="tests: the time to act at (ISO with offset); not in production")
    parser.add_argument("--name", default=None, help="worker name in the claims (default host-pid)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise
    from clinic.settings import get_settings

    settings = get_settings()
    clock: Clock = system_clock
    moment = settings.fixed_now
    if args.now:
        if settings.is_production:
            print("error: --now is for tests; not in production", file=sys.stderr)
            return 2
        try:
            moment = datetime.fromisoformat(args.now)
        except ValueError:
            print(f"error: --now must be an ISO time with an offset, not {args.now!r}", file=sys.stderr)
            return 2
        if moment.tzinfo is None:
            print("error: --now needs an offset (e.g. 2026-12-05T10:00:00+04:00)", file=sys.stderr)
            return 2
    if moment is not None:
        clock = fixed_clock(moment.astimezone(timezone.utc))
    try:
        worker = build_worker(clock=clock, name=args.name, settings=settings)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.once:
        print(json.dumps(asyncio.run(_once(worker)), sort_keys=True))
        return 0
    poll = args.poll if args.poll is not None else settings.aftercare_poll_seconds
    asyncio.run(serve(worker, max(0.05, poll)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
