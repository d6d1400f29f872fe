"""Issue 20, "one of each": one stack launcher, one rate limiter, one webhook pipeline, the
clinic's time zone from ``clinic.yml`` only and ``zoneinfo`` only. These checks read the
sources: no new module may start Rasa or the action server itself, keep its own sliding
window, claim webhook messages itself (outside addons/channels/webhook.py), write
"Asia/Dubai" as a value or import pytz, and no action module may keep its own clock or
session factory (``actions/context.py``). ``PENDING`` names the modules that still do and are to move (their
owners were busy when this was written); the list may only shrink."""
from __future__ import annotations

import re
from typing import Set

import pytest

from tests.conftest import ROOT

PACKAGES = ("clinic", "addons", "actions", "console", "ops", "bench", "scripts")
CHECKS = {
    # a quoted zone name: the zone is clinic.yml's `timezone` (ClinicFacts.timezone)
    "zone literal": re.compile(r"""["']Asia/Dubai["']"""),
    "pytz": re.compile(r"^\s*(import pytz|from pytz\b)", re.MULTILINE),
    # a hand-made sliding window (a deque of event times): clinic/ratelimit.py is the one
    "sliding window": re.compile(r"\.popleft\(\)"),
    # Rasa or the action server started outside ops/launch.py
    "server start": re.compile(r"""["']-m["'],\s*["']addons\.(rasa_server|action_server)["']"""),
    # a webhook claiming a platform message id itself: addons/channels/webhook.py is the pipeline
    # (gate, size, signature, parse, claim, rate limit, background task) every channel adapts
    "webhook claim": re.compile(r"\.claim\([^)]*\bmessage_(?:id|sid)\b"),
    # an action module's own clock or database session factory: actions/context.py is the one
    "action clock": re.compile(r"^class Clock\b", re.MULTILINE),
    "action session factory": re.compile(r"default_session_factory"),
}
HOME = {"sliding window": {"clinic/ratelimit.py"}, "server start": {"ops/launch.py"},
        "webhook claim": {"addons/channels/webhook.py"}, "action clock": {"actions/context.py"},
        "action session factory": {"actions/context.py"}}
# checks that look at some packages only (the others: PACKAGES)
SCOPE = {"action clock": ("actions",), "action session factory": ("actions",)}
PENDING = {
    "zone literal": set(),
    "pytz": set(),
    "sliding window": set(),
    "server start": set(),
    "webhook claim": set(),
    "action clock": set(),
    "action session factory": set(),
}


def offenders(check: str) -> Set[str]:
    found = set()
    for package in SCOPE.get(check, PACKAGES):
        for path in (ROOT / package).rglob("*.py"):
            if CHECKS[check].search(path.read_text(encoding="utf-8", errors="replace")):
                found.add(path.relative_to(ROOT).as_posix())
    return found - HOME.get(check, set())


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_no_new_module_does_it_its_own_way(check):
    new = offenders(check) - PENDING[check]
    assert not new, f"{check}: {sorted(new)} (use the one place: see this test's docstring)"


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_the_pending_list_only_names_modules_that_still_need_moving(check):
    assert PENDING[check] <= offenders(check), f"{check}: done, take it off PENDING"


def test_the_checks_find_what_they_look_for():
    assert CHECKS["zone literal"].search('ZONE = ZoneInfo("Asia/Dubai")')
    assert not CHECKS["zone literal"].search("# local times are Asia/Dubai")
    assert CHECKS["pytz"].search("import os\nimport pytz\n") and not CHECKS["pytz"].search("# no pytz here")
    assert CHECKS["server start"].search('[python, "-m", "addons.rasa_server", "--port"]')
    assert offenders("server start") == set()  # the bench, ops/stack.py and the fixtures: ops/launch.py
    assert CHECKS["webhook claim"].search("await self.store.claim(inbound.message_sid, CHANNEL, inbound.sender_id)")
    assert CHECKS["action clock"].search("import x\nclass Clock:\n")
    assert not CHECKS["action clock"].search("Clock.now()")
    assert CHECKS["webhook claim"].search("fresh = await store.claim(item.message_id, CHANNEL, item.sender_id)")
    assert not CHECKS["webhook claim"].search("store.claim(session, appointment)")  # a booking's slot
    assert offenders("webhook claim") == set()  # WhatsApp and Twilio: addons/channels/webhook.py


def test_the_clinic_zone_comes_from_clinic_yml():
    from zoneinfo import ZoneInfo

    import yaml

    zone = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))["timezone"]
    assert ZoneInfo(zone).key == zone
