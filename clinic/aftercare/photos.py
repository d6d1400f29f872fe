"""Photos patients send (issue 16 item 4): fetched, checked, kept for staff, never read.

A WhatsApp image message carries a Graph media id, not the image. :class:`PhotoIntake`:

1. writes the photo's row first (``aftercare_photos``, unique by the platform's message id,
   so a second delivery does nothing and nothing is answered twice) and opens (or joins) a
   handoff, so the staff queue shows the patient;
2. triages the caption with the warning-sign rules: a warning sign marks the photo urgent
   and makes the handoff urgent (the channel then passes the caption to the assistant, whose
   urgent path answers with the clinic's number);
3. fetches the media: ``GET /{media-id}`` (the download URL, type, size and SHA-256), then
   ``GET url``, both with the bearer token, 429/5xx/timeouts retried with back-off; refuses
   a file over ``PHOTO_MAX_BYTES`` (16 MB; said in advance by Meta or counted while
   downloading) and anything that is not JPEG, PNG or WebP by its first bytes (the declared
   type is checked too, never trusted);
4. writes the file under a random name in ``PHOTO_DIR`` (default ``var/photos``: outside
   the web root, the directory 0700 and the files 0600) and marks the row ``stored``;
   otherwise ``refused`` or ``failed`` with a reason and a note staff read in the console.

The patient gets one message (:data:`TEXTS`, English and Arabic): "thank you, a nurse will
look at it" or a polite reason to send it again; never an interpretation. Erasure
(:func:`erase_photos`, registered in :mod:`clinic.privacy.erasure`) and retention
(:func:`purge_old_photos`) delete the files with the rows. No Rasa imports here.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Union
from urllib.parse import quote, urlsplit

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from clinic.aftercare.models import Photo
from clinic.channels.http_retry import Retry, with_retries

logger = logging.getLogger(__name__)

ALLOWED = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
MIN_MAX_BYTES = 1024
META_MAX_BYTES = 64 * 1024  # the Graph API's answer about a media id is a few hundred bytes
FILE_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
ORPHAN_AGE = timedelta(hours=1)
MAX_CAPTION = 4096
STORED, REFUSED, FAILED, RECEIVING = "stored", "refused", "failed", "receiving"
# why a photo was not kept; the patient's message for each (TEXTS)
TOO_LARGE, BAD_TYPE = "too_large", "unsupported_type"
REPLY_FOR = {STORED: "photo_received", TOO_LARGE: "photo_too_large", BAD_TYPE: "photo_unsupported"}
NOT_RECEIVED = "photo_not_received"


# -- what the patient is told (English; Arabic awaiting native-speaker and medical review) --

TEXTS: Dict[str, str] = {
    # photo_received: the photo is kept for the clinical team; the assistant never reads it.
    "photo_received": (
        "Thank you for the photo. The assistant does not look at photos: a nurse from our team "
        "will look at it and reply to you here. If you have spreading redness, fever, pus or "
        "swelling that is getting worse, call us now on {clinic_phone}; for trouble breathing "
        "or throat swelling call {emergency_number}."
    ),
    "photo_too_large": (
        "Sorry, that file is too large for us to receive (the limit is {max_mb} MB). Please send "
        "it again as a normal photo rather than a document, or call us on {clinic_phone}."
    ),
    "photo_unsupported": (
        "Sorry, we can only receive photos (JPEG, PNG or WebP). Please take a normal photo with "
        "your camera and send it again, or call us on {clinic_phone}."
    ),
    "photo_not_received": (
        "Sorry, your photo did not reach us. Please try sending it again in a few minutes. If "
        "something worries you, call us on {clinic_phone}; for trouble breathing or throat "
        "swelling call {emergency_number}."
    ),
}

TEXTS_AR: Dict[str, str] = {
    "photo_received": (
        "شكرًا على الصورة. المساعد الآلي لا يطّلع على الصور: ستنظر فيها ممرضة من فريقنا وترد عليك "
        "هنا. إذا كان لديك احمرار ينتشر أو حرارة أو صديد أو تورّم يزداد، فاتصل بنا الآن على "
        "{clinic_phone}؛ ولصعوبة التنفس أو تورّم الحلق اتصل بالرقم {emergency_number}."
    ),
    "photo_too_large": (
        "عذرًا، هذا الملف أكبر من أن نستقبله (الحد {max_mb} ميغابايت). أرسله مرة أخرى كصورة عادية "
        "وليس كمستند، أو اتصل بنا على {clinic_phone}."
    ),
    "photo_unsupported": (
        "عذرًا، نستقبل الصور فقط (بصيغة JPEG أو PNG أو WebP). التقط صورة عادية بالكاميرا وأرسلها "
        "مرة أخرى، أو اتصل بنا على {clinic_phone}."
    ),
    "photo_not_received": (
        "عذرًا، لم تصلنا صورتك. حاول إرسالها مرة أخرى بعد دقائق. إذا كان هناك ما يقلقك فاتصل بنا "
        "على {clinic_phone}؛ ولصعوبة التنفس أو تورّم الحلق اتصل بالرقم {emergency_number}."
    ),
}


def text(key: str, language: Optional[str] = None, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The patient's message ``key`` with clinic facts filled in (Arabic for ``ar``)."""
    from clinic.channels.texts import fact_values

    texts = TEXTS_AR if language == "ar" else TEXTS
    return texts[key].format(max_mb=max(1, max_bytes // (1024 * 1024)), **fact_values())


# -- settings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoSettings:
    """``PHOTO_DIR`` (default ``$CLINIC_VAR_DIR/photos``, i.e. ``var/photos``) and
    ``PHOTO_MAX_BYTES`` (default 16 MB, Meta's own limit for images is 5 MB)."""

    directory: Path
    max_bytes: int = DEFAULT_MAX_BYTES


def web_roots() -> List[Path]:
    """Directories the web process serves files from: photos may never live under them."""
    from clinic.settings import PROJECT_ROOT

    return [PROJECT_ROOT / "console", PROJECT_ROOT / "widget", PROJECT_ROOT / "static"]


def photo_settings(env: Optional[Mapping[str, str]] = None) -> PhotoSettings:
    """Read the photo settings from ``env`` (default: the environment, ``.env`` loaded)."""
    from clinic.settings import PROJECT_ROOT

    if env is None:
        from clinic.settings import get_settings

        get_settings()  # loads .env into the environment once
        env = os.environ
    var_dir = Path(env.get("CLINIC_VAR_DIR") or PROJECT_ROOT / "var")
    directory = Path(env.get("PHOTO_DIR") or var_dir / "photos").resolve()
    for root in web_roots():
        if directory == root.resolve() or root.resolve() in directory.parents:
            raise ValueError(f"PHOTO_DIR must not be inside a directory the web server serves ({root}).")
    try:
        max_bytes = int(env.get("PHOTO_MAX_BYTES") or DEFAULT_MAX_BYTES)
    except ValueError:
        raise ValueError("PHOTO_MAX_BYTES must be a number of bytes.") from None
    if max_bytes < MIN_MAX_BYTES:
        raise ValueError(f"PHOTO_MAX_BYTES must be at least {MIN_MAX_BYTES}.")
    return PhotoSettings(directory, max_bytes)


def sniff(head: bytes) -> Optional[str]:
    """The image type by the file's first bytes (JPEG, PNG, WebP), else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _utcnow(now: Optional[datetime] = None) -> datetime:
    now = now or datetime.now(timezone.utc)
    return (now.astimezone(timezone.utc) if now.tzinfo else now).replace(tzinfo=None)


# -- fetching from the Graph API -------------------------------------------------------------


class PhotoProblem(Exception):
    """Why a photo was not kept: ``status`` (refused/failed), ``reason`` and a note for staff."""

    def __init__(self, status: str, reason: str, note: str) -> None:
        super().__init__(note)
        self.status, self.reason, self.note = status, reason, note[:300]


@dataclass(frozen=True)
class Fetched:
    data: bytes
    mime_type: str
    sha256: str


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


async def _get(graph: Any, url: str, headers: Dict[str, str], limit: int, what: str) -> bytes:
    """GET ``url`` (streamed, at most ``limit`` bytes); retries 429, 5xx and timeouts."""
    settings = graph.settings
    attempts = max(1, int(getattr(settings, "max_attempts", 3)))

    async def get() -> Union[bytes, Retry]:
        async with graph.client.stream("GET", url, headers=headers, follow_redirects=True) as response:
            status = response.status_code
            if status < 400:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise PhotoProblem(REFUSED, TOO_LARGE, f"The file is {_mb(int(declared))}, over the "
                                                           f"{_mb(limit)} limit; not downloaded.")
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise PhotoProblem(REFUSED, TOO_LARGE, f"The file is over the {_mb(limit)} limit; "
                                                               "download stopped.")
                    chunks.append(chunk)
                return b"".join(chunks)
            body = (await response.aread())[:2048]
        code = _graph_code(body)
        problem = f"HTTP {status}" + (f", Meta error {code}" if code is not None else "")
        if status != 429 and status < 500:
            raise PhotoProblem(FAILED, "graph_refused", f"The Graph API refused the {what} ({problem}); "
                                                        "the patient was asked to send the photo again.")
        return Retry(problem, status)  # waits the back-off (this fetch never used Retry-After)

    tried = await with_retries(get, what=f"photo: {what}", max_attempts=attempts,
                               backoff=float(getattr(graph, "backoff", 0.5)),
                               sleep=getattr(graph, "sleep", asyncio.sleep))
    if tried.value is not None:
        return tried.value
    problem = tried.failure.error if tried.failure else ""
    raise PhotoProblem(FAILED, "graph_unavailable", f"The Graph API did not give the {what} after {attempts} "
                                                    f"attempts ({problem}); the patient was asked to send it again.")


def _graph_code(body: bytes) -> Optional[object]:
    import json

    try:
        error = json.loads(body.decode("utf-8")).get("error")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return None
    return error.get("code") if isinstance(error, dict) else None


def _download_url(value: Any, graph_url: str) -> str:
    """The media URL Meta gave: http(s) only, and https unless the Graph API itself is plain http (tests)."""
    if not isinstance(value, str) or not value:
        raise PhotoProblem(FAILED, "graph_refused", "The Graph API gave no download address for the photo.")
    parts = urlsplit(value)
    allowed = ("https", "http") if urlsplit(graph_url).scheme == "http" else ("https",)
    if parts.scheme not in allowed or not parts.netloc:
        raise PhotoProblem(FAILED, "graph_refused", "The Graph API gave a download address that is not https.")
    return value


async def fetch_media(graph: Any, media_id: str, max_bytes: int, declared_mime: str = "") -> Fetched:
    """The photo behind a Graph media id, checked (size, type by content, SHA-256), or a
    :class:`PhotoProblem`. ``graph`` is a :class:`clinic.channels.graph_api.GraphClient`."""
    import json

    settings = graph.settings
    if not getattr(settings, "access_token", ""):
        raise PhotoProblem(FAILED, "not_configured", "WhatsApp is not configured (no access token): the photo "
                                                     "could not be fetched.")
    declared = (declared_mime or "").split(";")[0].strip().lower()
    if declared and declared not in ALLOWED:
        raise PhotoProblem(REFUSED, BAD_TYPE, f"The patient sent a {declared[:40]} file; only JPEG, PNG and WebP "
                                              "photos are accepted. Not downloaded.")
    headers = {"Authorization": f"Bearer {settings.access_token}"}
    meta_url = f"{settings.graph_url}/{settings.api_version}/{quote(media_id, safe='')}"
    raw = await _get(graph, meta_url, headers, META_MAX_BYTES, "photo's address")
    try:
        info = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        info = None
    if not isinstance(info, dict):
        raise PhotoProblem(FAILED, "graph_refused", "The Graph API's answer about the photo was not JSON.")
    size = info.get("file_size")
    size = int(size) if isinstance(size, (int, str)) and str(size).isdigit() else None
    if size is not None and size > max_bytes:
        raise PhotoProblem(REFUSED, TOO_LARGE, f"The photo is {_mb(size)}, over the {_mb(max_bytes)} limit; "
                                               "not downloaded.")
    meta_mime = str(info.get("mime_type") or "").split(";")[0].strip().lower()
    if meta_mime and meta_mime not in ALLOWED:
        raise PhotoProblem(REFUSED, BAD_TYPE, f"The patient sent a {meta_mime[:40]} file; only JPEG, PNG and "
                                              "WebP photos are accepted. Not downloaded.")
    url = _download_url(info.get("url"), settings.graph_url)
    data = await _get(graph, url, headers, max_bytes, "photo")
    kind = sniff(data[:16])
    if kind is None:
        raise PhotoProblem(REFUSED, BAD_TYPE, "The file is not a JPEG, PNG or WebP image (checked by its "
                                              "content); not kept.")
    digest = hashlib.sha256(data).hexdigest()
    expected = str(info.get("sha256") or "").lower()
    if SHA256_HEX.match(expected) and expected != digest:
        raise PhotoProblem(FAILED, "checksum_mismatch", "The downloaded photo does not match Meta's checksum; "
                                                        "not kept. The patient was asked to send it again.")
    return Fetched(data, kind, digest)


# -- the database and the files --------------------------------------------------------------


def _language(session: Session, conversation_id: str, caption: str) -> str:
    from clinic.aftercare.checkins import optin_language
    from clinic.language import AR, EN, message_language

    known = optin_language(session, conversation_id)
    return AR if message_language(caption or "", AR if known == AR else EN) == AR else EN


def begin_photo(factory: sessionmaker, conversation_id: str, channel: str, message_id: str, media_ref: str,
                declared_mime: str = "", caption: str = "", now: Optional[datetime] = None) -> Optional[Photo]:
    """Write the photo's row (``receiving``) and open or join a handoff; None when this
    message id was handled before (a redelivery)."""
    from clinic.handoff.service import open_handoff

    caption = (caption or "")[:MAX_CAPTION]
    try:
        with factory.begin() as session:
            photo = Photo(conversation_id=conversation_id, channel=channel[:16], message_id=message_id[:255],
                          media_ref=media_ref[:1024], status=RECEIVING,
                          declared_mime=(declared_mime or "")[:100] or None,
                          caption=caption or None, urgent=False, language=_language(session, conversation_id, caption),
                          received_at=_utcnow(now))
            session.add(photo)
            session.flush()
            open_handoff(session, conversation_id=conversation_id, channel=channel, reason="asked", priority="normal")
            return photo
    except IntegrityError:
        return None


def mark_urgent(factory: sessionmaker, photo_id: int) -> None:
    """The caption describes a warning sign: the photo and its conversation's handoff are urgent."""
    from clinic.handoff.service import open_handoff

    with factory.begin() as session:
        photo = session.get(Photo, photo_id)
        photo.urgent = True
        open_handoff(session, conversation_id=photo.conversation_id, channel=photo.channel, reason="urgent",
                     priority="urgent")


def _new_file_name(mime_type: str) -> str:
    return f"{secrets.token_hex(16)}.{ALLOWED[mime_type]}"


def _write_file(directory: Path, name: str, data: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / name
    temporary = directory / f".{name}.part"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def store_photo(factory: sessionmaker, settings: PhotoSettings, photo_id: int, fetched: Fetched,
                now: Optional[datetime] = None) -> str:
    """Write the file under a random name and mark the row stored; the file name."""
    name = _new_file_name(fetched.mime_type)
    path = _write_file(settings.directory, name, fetched.data)
    try:
        with factory.begin() as session:
            photo = session.get(Photo, photo_id)
            photo.status, photo.reason, photo.note = STORED, None, None
            photo.file_name, photo.mime_type = name, fetched.mime_type
            photo.size_bytes, photo.sha256, photo.stored_at = len(fetched.data), fetched.sha256, _utcnow(now)
    except BaseException:
        path.unlink(missing_ok=True)  # no row points at it: do not leave it behind
        raise
    return name


def mark_problem(factory: sessionmaker, photo_id: int, problem: PhotoProblem) -> None:
    with factory.begin() as session:
        photo = session.get(Photo, photo_id)
        photo.status, photo.reason, photo.note = problem.status, problem.reason[:32], problem.note


@dataclass(frozen=True)
class PhotoView:
    """What staff see about a photo (no file path)."""

    id: int
    conversation_id: str
    status: str
    reason: Optional[str]
    note: Optional[str]
    mime_type: Optional[str]
    size_bytes: Optional[int]
    caption: Optional[str]
    urgent: bool
    received_at: datetime

    def as_json(self) -> Dict[str, Any]:
        return {"id": self.id, "status": self.status, "reason": self.reason, "note": self.note,
                "mime_type": self.mime_type, "size_bytes": self.size_bytes, "caption": self.caption,
                "urgent": self.urgent, "received_at": self.received_at.isoformat(timespec="seconds") + "Z"}


def photos_for(session: Session, conversation_id: str) -> List[PhotoView]:
    """The conversation's photos, oldest first."""
    rows = session.scalars(select(Photo).where(Photo.conversation_id == conversation_id).order_by(Photo.id))
    return [PhotoView(r.id, r.conversation_id, r.status, r.reason, r.note, r.mime_type, r.size_bytes, r.caption,
                      bool(r.urgent), r.received_at) for r in rows]


def photo_file(session: Session, settings: PhotoSettings, photo_id: int) -> Optional[tuple]:
    """``(path, mime type)`` of a stored photo whose file exists, else None."""
    photo = session.get(Photo, photo_id)
    if photo is None or photo.status != STORED or not FILE_NAME.match(photo.file_name or ""):
        return None
    path = settings.directory / photo.file_name
    return (path, photo.mime_type) if path.is_file() else None


def _remove_files(settings: PhotoSettings, names: List[Optional[str]]) -> int:
    removed = 0
    for name in names:
        if name and FILE_NAME.match(name):
            try:
                (settings.directory / name).unlink()
                removed += 1
            except FileNotFoundError:
                pass
    return removed


def erase_photos(session: Session, conversation_id: str, settings: Optional[PhotoSettings] = None) -> int:
    """Erasure (:data:`clinic.privacy.erasure.FEATURE_ERASERS`): delete the conversation's
    photo files and rows; how many rows."""
    from sqlalchemy import inspect

    if not inspect(session.connection()).has_table(Photo.__tablename__):  # a database before 0011
        return 0
    names = list(session.scalars(select(Photo.file_name).where(Photo.conversation_id == conversation_id)))
    if any(names):
        _remove_files(settings or photo_settings(), names)
    return session.execute(delete(Photo).where(Photo.conversation_id == conversation_id)
                           .execution_options(synchronize_session=False)).rowcount or 0


def purge_old_photos(session: Session, days: int, now: Optional[datetime] = None,
                     settings: Optional[PhotoSettings] = None) -> int:
    """Retention: delete photos received more than ``days`` days ago (files and rows; a
    patient who only sent a photo has no conversation for retention to erase), and files no
    row names that are older than an hour (a crash between the file and its row). Rows."""
    if days < 1:
        raise ValueError("Retention must be at least one day.")
    settings = settings or photo_settings()
    moment = _utcnow(now)
    cutoff = moment - timedelta(days=days)
    old = session.execute(select(Photo.id, Photo.file_name).where(Photo.received_at < cutoff)).all()
    _remove_files(settings, [name for _, name in old])
    removed = 0
    if old:
        removed = session.execute(delete(Photo).where(Photo.id.in_([i for i, _ in old]))
                                  .execution_options(synchronize_session=False)).rowcount or 0
    if settings.directory.is_dir():
        known = set(session.scalars(select(Photo.file_name).where(Photo.file_name.isnot(None))))
        for path in settings.directory.iterdir():
            name = path.name.lstrip(".").removesuffix(".part")
            if not FILE_NAME.match(name) or path.name in known:
                continue
            age = moment - datetime.utcfromtimestamp(path.stat().st_mtime)
            if age > ORPHAN_AGE:
                path.unlink(missing_ok=True)
    return removed


# -- the intake the channel calls --------------------------------------------------------------


@dataclass(frozen=True)
class PhotoOutcome:
    """What became of one photo message; ``duplicate``: handled before, say nothing."""

    photo_id: Optional[int]
    status: str
    reason: Optional[str] = None
    urgent: bool = False
    language: str = "en"
    reply: str = ""  # the patient's message, filled in
    duplicate: bool = False


class PhotoIntake:
    """Receives photo messages for a channel.

    ``assess`` says whether a caption describes a warning sign (the channel passes the
    warning-sign rules already in memory); ``factory`` and ``settings`` default to the
    process's database and :func:`photo_settings` (read at each photo, so tests can point
    ``PHOTO_DIR`` elsewhere).
    """

    def __init__(self, factory: Optional[Callable[[], sessionmaker]] = None,
                 settings: Optional[PhotoSettings] = None,
                 assess: Optional[Callable[[str], bool]] = None) -> None:
        self._factory = factory
        self._settings = settings
        self.assess = assess

    @property
    def factory(self) -> sessionmaker:
        if self._factory is None:
            from clinic.db import default_session_factory

            return default_session_factory()
        return self._factory()

    @property
    def settings(self) -> PhotoSettings:
        return self._settings or photo_settings()

    async def receive(self, graph: Any, conversation_id: str, channel: str, message_id: str, media_ref: str,
                      declared_mime: str = "", caption: str = "") -> PhotoOutcome:
        factory, settings = self.factory, self.settings
        photo = await asyncio.to_thread(begin_photo, factory, conversation_id, channel, message_id, media_ref,
                                        declared_mime, caption)
        if photo is None:
            logger.info("photo: a repeated delivery; nothing to do")
            return PhotoOutcome(None, "", duplicate=True)
        urgent = False
        if caption and caption.strip() and self.assess is not None:
            try:
                urgent = bool(await asyncio.to_thread(self.assess, caption))
            except Exception as error:  # the photo is still kept and a person still sees it
                logger.error("photo: the caption could not be triaged: %s", type(error).__name__)
            if urgent:  # the channel passes the caption to the urgent path whatever happens here
                try:
                    await asyncio.to_thread(mark_urgent, factory, photo.id)
                    logger.info("photo: the caption describes a warning sign; the handoff is urgent")
                except Exception as error:
                    logger.error("photo: could not mark the photo urgent: %s", type(error).__name__)
        try:
            fetched = await fetch_media(graph, media_ref, settings.max_bytes, declared_mime)
            await asyncio.to_thread(store_photo, factory, settings, photo.id, fetched)
            status, reason = STORED, None
        except PhotoProblem as problem:
            await asyncio.to_thread(mark_problem, factory, photo.id, problem)
            status, reason = problem.status, problem.reason
        except Exception as error:  # disk full, database gone: staff still have the row if it can be written
            logger.error("photo: could not be kept: %s", type(error).__name__)
            failure = PhotoProblem(FAILED, "not_stored", f"The photo could not be stored ({type(error).__name__}); "
                                                         "the patient was asked to send it again.")
            try:
                await asyncio.to_thread(mark_problem, factory, photo.id, failure)
            except Exception:  # noqa: BLE001 - the log line above remains
                pass
            status, reason = FAILED, failure.reason
        logger.info("photo: %s%s", status, f" ({reason})" if reason else "")
        key = REPLY_FOR.get(STORED if status == STORED else reason or "", NOT_RECEIVED)
        return PhotoOutcome(photo.id, status, reason, urgent, photo.language,
                            text(key, photo.language, settings.max_bytes))


RETRYABLE = ("graph_refused", "graph_unavailable", "not_stored", "checksum_mismatch", "not_configured")


async def refetch(factory: sessionmaker, graph: Any, settings: PhotoSettings, photo_id: int) -> PhotoView:
    """Staff's "try again" on a photo that failed to arrive (the Graph media id is kept for
    about 30 days): fetch, check and store it as on arrival. The patient is not messaged.
    Raises :class:`LookupError` for an unknown photo, ``ValueError`` for one that cannot be
    tried again (stored, or refused for its size or type)."""

    def load() -> Photo:
        with factory() as session:
            photo = session.get(Photo, photo_id)
            if photo is None:
                raise LookupError("No such photo (it may have been erased).")
            if photo.status != FAILED or photo.reason not in RETRYABLE:
                raise ValueError("Only a photo that failed to arrive can be fetched again.")
            return photo

    photo = await asyncio.to_thread(load)
    try:
        fetched = await fetch_media(graph, photo.media_ref, settings.max_bytes, photo.declared_mime or "")
        await asyncio.to_thread(store_photo, factory, settings, photo.id, fetched)
    except PhotoProblem as problem:
        await asyncio.to_thread(mark_problem, factory, photo.id, problem)
    with factory() as session:
        return next(v for v in photos_for(session, photo.conversation_id) if v.id == photo.id)
