"""Check-in actions with a rasa-sdk Tracker, a CollectingDispatcher and a real clinic database:
the offer after a kept session date (WhatsApp only, once), yes plans the check-ins, no is kept,
"stop" opts out at once, "all good" is noted. Time is injected (Friday 4 December 2026)."""
from datetime import timedelta

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.aftercare_checkins as checkin_actions
from actions.aftercare_checkins import (ActionAftercareAllGood, ActionAftercareOffer, ActionAftercareOptin,
                                        ActionAftercareStop)
from clinic.aftercare.checkins import AftercareConfig, optin_status
from clinic.aftercare.jobs import claim_due, mark_sent
from clinic.aftercare.models import AftercareJob
from tests.actions.aftercare_fixtures import NOW, WA, clinic_sessions


@pytest.fixture(autouse=True)
def factory(tmp_path, monkeypatch):
    with clinic_sessions(tmp_path) as session_factory:
        monkeypatch.setattr(checkin_actions, "session_factory", lambda: session_factory)
        monkeypatch.setattr(checkin_actions, "config", lambda: AftercareConfig())
        monkeypatch.setattr(checkin_actions.Clock, "now", staticmethod(lambda: NOW))
        yield session_factory


def tracker(text="", intent="affirm", slots=None, sender=WA, history=()):
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}}
    events = [{"event": "user", "text": t} for t in history] + [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker(sender, slots or {}, latest, events, False, None, {}, "action_listen")


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def jobs(factory):
    with factory() as session:
        return [(j.day, j.status) for j in session.query(AftercareJob).order_by(AftercareJob.id)]


def test_a_kept_date_on_whatsapp_is_followed_by_the_offer_once(factory):
    messages, slots = run(ActionAftercareOffer(), tracker("yes", slots={"treatment_date": "2026-12-04"}))
    assert [(m["response"], m.get("days")) for m in messages] == [("utter_aftercare_offer_checkins", "1, 3 and 7")]
    assert slots == {"aftercare_offer_pending": "2026-12-04"}
    pending = {"aftercare_offer_pending": "2026-12-04"}
    messages, slots = run(ActionAftercareOptin(), tracker("no thanks", "deny", pending))
    assert [m["response"] for m in messages] == ["utter_aftercare_checkins_declined"]
    with factory() as session:
        assert optin_status(session, WA) is False
    assert run(ActionAftercareOffer(), tracker("yes", slots={"treatment_date": "2026-12-04"})) == ([], {})  # once


@pytest.mark.parametrize("sender, slots", [("web-" + "a" * 32, {"treatment_date": "2026-12-04"}), (WA, {})])
def test_no_offer_on_the_website_or_without_a_kept_date(sender, slots):
    assert run(ActionAftercareOffer(), tracker("yes", slots=slots, sender=sender)) == ([], {})


def test_yes_opts_in_and_plans_the_check_ins_ahead_in_the_conversation_language(factory):
    history = ["كانت جلستي اليوم"]
    messages, slots = run(ActionAftercareOptin(), tracker("نعم", "affirm", {"aftercare_offer_pending": "2026-12-04"},
                                                          history=history))
    assert [(m["response"], m.get("days")) for m in messages] == [("utter_aftercare_checkins_on", "1 و3 و7")]
    assert slots == {"aftercare_offer_pending": None}
    assert jobs(factory) == [(1, "due"), (3, "due"), (7, "due")]
    with factory() as session:
        from clinic.aftercare.models import AftercareOptIn

        assert session.get(AftercareOptIn, WA).language == "ar"


def test_yes_without_an_offer_is_a_yes_without_a_question(factory):
    messages, _ = run(ActionAftercareOptin(), tracker("yes", "affirm"))
    assert [m["response"] for m in messages] == ["utter_anything_else"]
    assert jobs(factory) == []


def test_stop_opts_out_at_once_and_cancels_the_planned_check_ins(factory, monkeypatch):
    run(ActionAftercareOptin(), tracker("yes", "affirm", {"aftercare_offer_pending": "2026-12-04"}))
    day1 = NOW + timedelta(days=1)
    [job] = claim_due(factory, "w", now=day1)
    mark_sent(factory, job, "w", now=day1)
    monkeypatch.setattr(checkin_actions.Clock, "now", staticmethod(lambda: day1 + timedelta(hours=1)))
    messages, _ = run(ActionAftercareStop(), tracker("توقف", "aftercare_stop"))
    assert [m["response"] for m in messages] == ["utter_aftercare_stopped"]
    assert jobs(factory) == [(1, "sent"), (3, "cancelled"), (7, "cancelled")]
    with factory() as session:
        assert optin_status(session, WA) is False
        assert session.get(AftercareJob, job).outcome == "stopped"


def test_stop_on_the_website_records_nothing_and_still_answers(factory):
    messages, _ = run(ActionAftercareStop(), tracker("stop", "aftercare_stop", sender="web-" + "a" * 32))
    assert [m["response"] for m in messages] == ["utter_aftercare_stopped"]
    with factory() as session:
        assert optin_status(session, "web-" + "a" * 32) is None


def test_all_good_is_noted_on_the_check_in_and_a_reminder_gets_its_own_answer(factory, monkeypatch):
    run(ActionAftercareOptin(), tracker("yes", "affirm", {"aftercare_offer_pending": "2026-12-04"}))
    day1 = NOW + timedelta(days=1)
    [job] = claim_due(factory, "w", now=day1)
    mark_sent(factory, job, "w", now=day1)
    monkeypatch.setattr(checkin_actions.Clock, "now", staticmethod(lambda: day1 + timedelta(hours=2)))
    messages, _ = run(ActionAftercareAllGood(), tracker("all good", "aftercare_all_good"))
    assert [m["response"] for m in messages] == ["utter_aftercare_all_good"]
    with factory.begin() as session:
        row = session.get(AftercareJob, job)
        assert row.outcome == "all_good"
        row.kind = "booking_reminder"
    messages, _ = run(ActionAftercareAllGood(), tracker("I'll be there", "aftercare_all_good"))
    assert [m["response"] for m in messages] == ["utter_aftercare_reminder_confirmed"]


def test_a_database_outage_still_answers(monkeypatch):
    class Down:
        def __call__(self):
            raise RuntimeError("db down")

        def begin(self):
            raise RuntimeError("db down")

    monkeypatch.setattr(checkin_actions, "session_factory", lambda: Down())
    assert [m["response"] for m in run(ActionAftercareStop(), tracker("stop", "aftercare_stop"))[0]] == [
        "utter_aftercare_stopped"]
    assert [m["response"] for m in run(ActionAftercareAllGood(), tracker("all good", "aftercare_all_good"))[0]] == [
        "utter_aftercare_all_good"]
    assert run(ActionAftercareOffer(), tracker("yes", slots={"treatment_date": "2026-12-04"})) == ([], {})


def test_the_rules_send_stop_and_all_good_to_their_actions_and_the_offer_follows_a_kept_date():
    rules = yaml.safe_load(open("data/rules/aftercare_checkins.yml", encoding="utf-8"))["rules"]
    steps = {r["rule"]: r["steps"] for r in rules}
    assert steps["stop check-ins and reminders"] == [{"intent": "aftercare_stop"}, {"action": "action_aftercare_stop"}]
    assert steps["all good after a check-in"] == [{"intent": "aftercare_all_good"},
                                                 {"action": "action_aftercare_all_good"}]
    kept = {r["rule"]: r["steps"] for r in yaml.safe_load(open("data/rules/aftercare.yml", encoding="utf-8"))["rules"]}
    assert kept["yes, that was the session date"][-2:] == [{"action": "action_confirm_treatment_date"},
                                                          {"action": "action_aftercare_offer"}]


def test_every_reply_other_than_stop_and_all_good_takes_the_normal_path():
    """Only two intents are the check-ins' own; a warning sign in a reply is the triage's
    urgent_symptom like any message (no rule here takes it)."""
    rules = yaml.safe_load(open("data/rules/aftercare_checkins.yml", encoding="utf-8"))["rules"]
    intents = {s["intent"] for r in rules for s in r["steps"] if "intent" in s}
    assert intents == {"affirm", "deny", "aftercare_stop", "aftercare_all_good"}
    assert not any("urgent_symptom" in str(r) for r in rules)


def test_responses_used_exist_with_an_arabic_variation():
    domain = yaml.safe_load(open("domain.yml", encoding="utf-8"))
    for name in checkin_actions.RESPONSES_USED:
        variants = domain["responses"][name]
        assert any(v.get("condition") for v in variants), name
