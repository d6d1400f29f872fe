"""The console's aftercare panel in headless Chromium (console/static/aftercare.js): a
patient's photo shown beside the transcript to a signed-in member of staff, with the
treatment, the check-ins and the unanswered day-1 flag; captions rendered as text."""
from __future__ import annotations

import io
import time
from datetime import datetime, timedelta, timezone
from typing import List

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from clinic.aftercare import photos as ph
from clinic.aftercare.checkins import opt_in
from clinic.aftercare.jobs import schedule_checkins
from clinic.aftercare.models import AftercareJob
from clinic.aftercare.service import record_treatment
from clinic.booking.models import Practitioner
from clinic.db import Base, import_models, make_engine, make_session_factory
from clinic.handoff.staff import create_staff
from tests.browser.console_app import PASSWORD, FakeRasa, served_console

WA = "wa-971500000001"
CAPTION = "day 4 <img src=x onerror=\"document.title='hacked'\"> still pink"


def _png(width: int = 320, height: int = 200) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (236, 200, 190))
    ImageDraw.Draw(image).ellipse((110, 60, 210, 140), fill=(214, 120, 120))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def served(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTO_DIR", str(tmp_path / "photos"))
    import_models()
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    now = datetime.now(timezone.utc)
    with factory.begin() as session:
        create_staff(session, "sara", "Sara", PASSWORD)
        session.add(Practitioner(key="layla-haddad", name="Layla Haddad", title=""))
        opt_in(session, WA, "staff")
    treated = (now - timedelta(days=4)).date()
    treatment = record_treatment(factory, WA, treated, "face", "layla-haddad", "sara", now=now,
                                 practitioners=["layla-haddad"])
    schedule_checkins(factory, WA, treatment.id, treated, (1, 3, 7), now=now - timedelta(days=4, hours=12))
    with factory.begin() as session:
        day_one = session.scalar(select(AftercareJob).where(AftercareJob.day == 1))
        day_one.status, day_one.sent_at = "sent", now - timedelta(days=3)
    photo = ph.begin_photo(factory, WA, "whatsapp", "wamid.1", "media-1", "image/png", CAPTION)  # opens a handoff
    data = _png()
    ph.store_photo(factory, ph.photo_settings(), photo.id, ph.Fetched(data, "image/png", "0" * 64))
    failed = ph.begin_photo(factory, WA, "whatsapp", "wamid.2", "media-2", "image/jpeg", "")
    ph.mark_problem(factory, failed.id, ph.PhotoProblem("refused", "too_large", "The photo is 20.0 MB, over the "
                                                                               "16.0 MB limit; not downloaded."))
    fake = FakeRasa()
    fake.say(WA, "here is a photo of my cheek")
    with served_console(fake, factory, watch_interval=0.5) as (url, _):
        yield url, photo.id
    engine.dispose()


def test_the_photo_shows_beside_the_transcript_with_the_aftercare_record(browser, served, screenshots):
    url, photo_id = served
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and "Failed to load resource" not in message.text
            and errors.append(message.text))
    page.goto(f"{url}/console/login")
    page.fill("#username", "sara")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#queue button")
    page.locator("#queue button", has_text=WA).click()

    image = page.locator("#patient-panel img")
    image.wait_for(timeout=10000)
    deadline = time.monotonic() + 10
    while image.evaluate("img => img.naturalWidth") == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [320, 200]  # loaded with the session
    panel = page.locator("#patient-panel")
    assert "No answer to the day-1 check-in" in panel.text_content()
    assert "face · layla-haddad" in panel.text_content()
    assert "Day 1 check-in: sent" in panel.text_content() and "no answer yet" in panel.text_content()
    assert "Not received (too large)" in panel.text_content()
    assert page.locator("#patient-panel .aftercare-caption").text_content() == CAPTION  # text, not HTML
    assert page.title() == "Staff console" and page.locator("#patient-panel img").count() == 1
    side = page.locator("#aftercare-unanswered")  # under the queue, for every such patient
    expect(side).to_be_visible()
    assert WA in side.text_content()
    page.screenshot(path=str(screenshots / "console-aftercare-photo.png"), full_page=True)
    assert errors == []

    # the same address in a browser without the session: no image
    anonymous = httpx.get(f"{url}/console/api/aftercare/photos/{photo_id}")
    assert anonymous.status_code == 401 and not anonymous.content.startswith(b"\x89PNG")
    page.close()
