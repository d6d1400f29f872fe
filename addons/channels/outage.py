"""What a chat channel says when the assistant could not answer.

A turn can fail three ways:

* outright: Redis is down and Rasa raises (``LockError``);
* amnesiac: the tracker database is down, Rasa's fail-safe wrapper reads the conversation
  as empty and carries on (:func:`addons.tracker_store.store_failed` tells);
* empty: the action server is down, Rasa logs the failed custom action and carries on
  without its messages.

Each way the patient gets ``channel_unavailable`` at once, with the clinic's number and
the warning signs, instead of silence or out-of-context answers. An empty reply is
normal only while staff have taken over the conversation (it is paused), so that is
checked first. The REST channel (which answers in its HTTP response) calls
:func:`begin_turn` and :func:`turn_failed` itself; channels that send as they go
(socket.io, WhatsApp, Twilio) use an output with :class:`CountingOutput` and
:func:`run_turn`.

A message that describes a warning sign is the exception (:func:`outage_messages`, the
one place every channel asks): it still gets the urgent reply (the emergency tier puts
{emergency_number} first; in the conversation's language, :func:`reply_language`:
Arabic when the triage read Arabic or the conversation is in Arabic), because the warning-sign
rules (:mod:`clinic.triage`) need no Rasa model, and it is written to the durable
outbox (:mod:`clinic.handoff.outbox`), which puts it in the staff queue as soon as the
clinic database answers (at once when only the model or the tracker store is down).
The texts are the domain's own responses (``domain.yml``), with clinic facts filled in.
The same happens for a warning sign in a conversation paused for a person whom nobody
has taken over yet (:func:`silence_is_expected`): Rasa runs no action there, so the
patient would otherwise hear nothing; the handoff becomes urgent through the outbox.
"""
from __future__ import annotations

import asyncio
import logging
import time
from contextvars import ContextVar
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Text, Tuple

from rasa.core.channels.channel import UserMessage

from addons.channels.payloads import restrict_payload
from addons.tracker_store import reset_store_failure, store_failed
from clinic.channels.texts import text as channel_text
from clinic.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)


_paused_triage: ContextVar[Optional[Dict[str, Any]]] = ContextVar("clinic_paused_triage", default=None)


def begin_turn() -> None:
    """Forget failures of an earlier turn handled in this context."""
    reset_store_failure()
    _paused_triage.set(None)


def turn_failed() -> bool:
    """True when the conversation store failed during this turn (answers are unreliable)."""
    return store_failed()


def unavailable_text(language: Optional[str] = None) -> str:
    """The apology (``channel_unavailable``), in Arabic when ``language`` is ``ar``."""
    return channel_text("channel_unavailable", language)


def unavailable_message(recipient_id: Text) -> Dict[str, Any]:
    """The apology in the REST channel's message format."""
    return {"recipient_id": recipient_id, "text": unavailable_text()}


EMERGENCY_RESPONSE, URGENT_RESPONSE = "utter_urgent_emergency", "utter_urgent_care"
LANGUAGE_SLOT = "message_language"
CONVERSATION_LANGUAGE = "conversation_language"  # added to a paused conversation's triage
DOMAIN_FILE = PROJECT_ROOT / "domain.yml"


def _shared_pipeline() -> Any:
    """The spaCy pipeline the loaded Rasa model already holds (addons.nlu.spacy_nlp), if any."""
    try:
        from addons.nlu.spacy_nlp import loaded_pipeline
    except Exception:  # pragma: no cover - Rasa's spaCy extra missing
        return None
    return loaded_pipeline()


def assess(text: str) -> Any:
    """The warning-sign rules on ``text``, without the Rasa model.

    Uses the spaCy pipeline already in memory (the model's, else the one
    :func:`clinic.triage.assess_text` loaded); when there is none yet (the model never
    loaded), a blank English tokenizer, as the NLU component does, so the reply is not
    held up by loading spaCy."""
    from clinic.triage import assess_text, triage_for
    from clinic.triage.nlp import load_nlp, prepare

    nlp = _shared_pipeline()
    if nlp is None and load_nlp.cache_info().currsize:
        return assess_text(text)
    if nlp is None:
        nlp = _blank_english()
    return triage_for(nlp.vocab).assess(nlp(prepare(text)))


@lru_cache(maxsize=1)
def _blank_english() -> Any:
    import spacy

    return spacy.blank("en")


@lru_cache(maxsize=1)
def _urgent_responses() -> Dict[str, List[Mapping[str, Any]]]:
    import yaml

    responses = (yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8")) or {}).get("responses") or {}
    return {name: responses.get(name) or [] for name in (EMERGENCY_RESPONSE, URGENT_RESPONSE)}


@lru_cache(maxsize=2)
def _fact_values(language: str = "en") -> Dict[str, str]:
    from clinic.facts import LANGUAGES, load_facts, template_values
    from clinic.settings import get_settings

    return template_values(load_facts(get_settings().clinic_file), language if language in LANGUAGES else "en")


def pick_variation(variations: List[Mapping[str, Any]], language: Optional[str]) -> Optional[str]:
    """The text of the variation for ``language`` (condition on ``message_language``),
    else of the first variation without a condition."""
    def wanted(variation: Mapping[str, Any]) -> bool:
        return any(c.get("name") == LANGUAGE_SLOT and c.get("value") == language
                   for c in variation.get("condition") or [])

    chosen = next((v for v in variations if language and wanted(v)), None)
    chosen = chosen or next((v for v in variations if not v.get("condition")), None)
    return chosen.get("text") if chosen else None


def reply_language(text: Optional[Text], triage_language: Optional[str] = None,
                   conversation: Optional[str] = None) -> str:
    """``en`` or ``ar`` for the urgent reply: ``ar`` when the triage read the message as
    Arabic or Arabizi; else the conversation's language after this message
    (:func:`clinic.language.message_language`) when the conversation is known (paused
    conversations), else the message's own language (during an outage the tracker may
    be unreadable)."""
    from clinic.language import AR, EN, message_language

    if triage_language == AR:
        return AR
    return message_language(text or "", conversation or EN)


def urgent_text(result: Any, language: Optional[str] = None) -> str:
    """The domain's urgent (or emergency) reply for a triage result, facts filled in, in
    ``language`` (default: the language the triage read)."""
    from clinic.answers import fill

    name = EMERGENCY_RESPONSE if result.emergency else URGENT_RESPONSE
    language = language or getattr(result, "language", None)
    try:
        text = pick_variation(_urgent_responses()[name], language)
    except Exception as error:  # domain unreadable: the apology still names the warning signs
        logger.error("channel: urgent reply unavailable: %s", type(error).__name__)
        text = None
    if not text:
        return unavailable_text()
    try:
        return fill(text, _fact_values(language or "en"))
    except Exception as error:
        logger.error("channel: clinic facts unavailable: %s", type(error).__name__)
        return fill(text, {"emergency_number": "998", "clinic_phone": "the clinic's number"})


def _record_for_staff(text: Optional[str], sender_id: str, channel: str, result: Any) -> None:
    from clinic.handoff.outbox import PendingUrgent, default_outbox

    outbox = default_outbox()
    outbox.put(PendingUrgent(conversation_id=sender_id, channel=channel, text=text or "",
                             categories=list(result.categories or []), emergency=bool(result.emergency)))
    outbox.drain_soon()  # into the staff queue now if the clinic database answers, else later


async def outage_messages(text: Optional[Text], sender_id: Text, channel: str) -> List[str]:
    """What the patient gets when the assistant could not answer ``text``: the urgent
    reply for a warning sign (recorded for staff), else the ``channel_unavailable`` apology."""
    started = time.perf_counter()
    known = _paused_triage.get()
    conversation = None
    if known:  # a paused conversation: the model's own triage of this message
        result = SimpleNamespace(urgent=True, categories=list(known.get("categories") or []),
                                 emergency=bool(known.get("emergency")), language=known.get("language"))
        conversation = known.get(CONVERSATION_LANGUAGE)
    elif not text or text.startswith("/"):
        return [unavailable_text(conversation)]
    else:
        try:
            result = await asyncio.to_thread(assess, text)
        except Exception as error:
            logger.error("%s: warning-sign rules failed during an outage: %s", channel, type(error).__name__)
            return [unavailable_text(reply_language(text))]
    if not result.urgent:
        return [unavailable_text(reply_language(text, None, conversation))]
    try:
        await asyncio.to_thread(_record_for_staff, text, sender_id, channel, result)
    except Exception as error:  # the reply still goes out; the log says it was not kept
        logger.error("%s: a warning sign during an outage could not be kept for staff: %s",
                     channel, type(error).__name__)
    logger.warning("%s: warning sign answered during an outage (emergency=%s) in %.0f ms", channel,
                   bool(result.emergency), 1000 * (time.perf_counter() - started))
    return [urgent_text(result, reply_language(text, getattr(result, "language", None), conversation))]


async def outage_response(text: Optional[Text], sender_id: Text, channel: str,
                          failed: bool = True) -> Tuple[Any, int]:
    """Body and status for a channel that answers in its HTTP response (REST): when the
    turn ``failed``, 503 with the apology as ``error``; when it answered nothing, 200 with
    the apology as the bot's message; a warning sign gets 200 and the urgent reply."""
    texts = await outage_messages(text, sender_id, channel)
    if failed and len(texts) == 1 and texts[0] in (unavailable_text("en"), unavailable_text("ar")):
        return {"error": texts[0]}, 503
    return [{"recipient_id": sender_id, "text": t} for t in texts], 200


def _conversation_language(tracker: Any) -> str:
    """The language of the conversation before its latest message (``en`` or ``ar``)."""
    from rasa.shared.core.events import UserUttered

    from clinic.language import conversation_language

    texts = [event.text or "" for event in getattr(tracker, "events", []) if isinstance(event, UserUttered)]
    return conversation_language(texts[:-1])


def _latest_triage(tracker: Any) -> Dict[str, Any]:
    message = getattr(tracker, "latest_message", None)
    triage = (getattr(message, "parse_data", None) or {}).get("triage")
    return triage if isinstance(triage, dict) else {}


def _someone_is_answering(sender_id: Text) -> bool:
    """True when a member of staff has taken the conversation over (its handoff is active)."""
    try:
        from clinic.db import default_session_factory
        from clinic.handoff.service import find_open

        with default_session_factory().begin() as session:
            handoff = find_open(session, sender_id)
            return handoff is not None and handoff.status == "active"
    except Exception as error:  # unknown: the patient gets the numbers rather than silence
        logger.warning("channel: could not read the handoff: %s", type(error).__name__)
        return False


async def silence_is_expected(app: Any, sender_id: Text) -> bool:
    """True when the conversation is paused (staff answer it), so no bot reply is due.

    Except for a warning sign (the model's triage of the message) while nobody has taken
    the conversation over yet (e.g. waiting after "talk to a person"): then False, and
    :func:`outage_messages` gives the urgent reply and makes the handoff urgent."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return False
    try:
        tracker = await store.retrieve(sender_id)
    except Exception as error:  # the store is down: the turn did fail
        logger.warning("channel: could not check whether a conversation is paused: %s",
                       type(error).__name__)
        return False
    if not (tracker and tracker.is_paused()):
        return False
    triage = _latest_triage(tracker)
    if triage.get("urgent") and not await asyncio.to_thread(_someone_is_answering, sender_id):
        logger.warning("channel: a warning sign in a paused conversation nobody has taken over: urgent reply")
        _paused_triage.set({**triage, CONVERSATION_LANGUAGE: _conversation_language(tracker)})
        return False
    return True


class CountingOutput:
    """Mixin for output channels that send as they go: counts what Rasa sends in a turn,
    and holds it back once the conversation store failed in that turn. Call
    :meth:`may_send` first thing in the channel's send path."""

    sent = 0

    def may_send(self) -> bool:
        if turn_failed():
            return False
        self.sent += 1
        return True


async def run_turn(on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage,
                   app: Any, channel: str,
                   apologise: Optional[Callable[[str], Awaitable[Any]]] = None) -> bool:
    """Hand ``message`` to Rasa; when the turn failed or answered nothing outside a
    handoff, send :func:`outage_messages` (the urgent reply for a warning sign, else the
    apology). ``message.output_channel`` must be a :class:`CountingOutput`; ``apologise``
    (called with each text) defaults to sending through it. Returns False when the patient
    got those instead of an answer (the caller may leave a note for staff)."""
    output = message.output_channel
    begin_turn()
    try:
        await restrict_payload(app, message)  # /intent payloads: only the offered buttons
        await on_new_message(message)
    except Exception as error:
        logger.error("%s: handling a message failed: %s", channel, type(error).__name__)
    else:
        if turn_failed():
            logger.error("%s: the conversation store failed during the turn", channel)
        elif output.sent or await silence_is_expected(app, message.sender_id):
            return True
        else:
            logger.error("%s: the assistant answered nothing (is the action server up?)", channel)
    reset_store_failure()  # the apology itself must go out
    for text in await outage_messages(message.text, message.sender_id, channel):
        if apologise is not None:
            await apologise(text)
        else:
            await output.send_text_message(message.sender_id, text)
    return False
