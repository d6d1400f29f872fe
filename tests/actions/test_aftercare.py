"""Aftercare actions with a rasa-sdk Tracker, a CollectingDispatcher and a real clinic
database: the session date told and confirmed once, answers for the day, and the usual
FAQ answer for everything else. Time is injected (Friday 4 December 2026 in Dubai)."""
from datetime import date

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.aftercare as aftercare
from actions.aftercare import ActionAnswerForTheDay, ActionConfirmTreatmentDate, ActionTreatmentDate
from clinic.aftercare.service import record_treatment
from tests.actions.aftercare_fixtures import NOW, WA, clinic_sessions


@pytest.fixture(autouse=True)
def factory(tmp_path, monkeypatch):
    with clinic_sessions(tmp_path) as session_factory:
        monkeypatch.setattr(aftercare, "session_factory", lambda: session_factory)
        monkeypatch.setattr(aftercare.Clock, "now", staticmethod(lambda: NOW))
        yield session_factory


def tracker(text="", intent="faq", key=None, slots=None, sender=WA):
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}}
    if key:
        latest["response_selector"] = {"faq": {"response": {"intent_response_key": key}}}
    return Tracker(sender, slots or {}, latest, [{"event": "user", "text": text, "parse_data": latest}], False, None,
                   {}, "action_listen")


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_a_told_date_is_read_back_for_confirmation():
    messages, slots = run(ActionTreatmentDate(), tracker("I had my session on Tuesday", "tell_treatment_date"))
    assert [(m["response"], m.get("session_date")) for m in messages] == [
        ("utter_aftercare_confirm_date", "Tuesday 1 December")]
    assert slots == {"treatment_date_pending": "2026-12-01"}


@pytest.mark.parametrize("text", ["I had my session last week", "my session is on 10/12/2026", "500 days ago"])
def test_an_unclear_future_or_old_date_asks_which_day(text):
    messages, slots = run(ActionTreatmentDate(), tracker(text, "tell_treatment_date"))
    assert [m["response"] for m in messages] == ["utter_aftercare_date_unclear"]
    assert slots == {"treatment_date_pending": None}


def test_yes_keeps_the_date_for_the_conversation():
    messages, slots = run(ActionConfirmTreatmentDate(),
                          tracker("yes", "affirm", slots={"treatment_date_pending": "2026-12-01"}))
    assert [(m["response"], m.get("session_date")) for m in messages] == [
        ("utter_aftercare_date_kept", "Tuesday 1 December")]
    assert slots == {"treatment_date": "2026-12-01", "treatment_date_pending": None}


@pytest.mark.parametrize("intent, pending", [("deny", "2026-12-01"), ("affirm", None), ("affirm", "garbage")])
def test_no_or_nothing_pending_keeps_no_date(intent, pending):
    messages, slots = run(ActionConfirmTreatmentDate(), tracker("x", intent, slots={"treatment_date_pending": pending}))
    assert [m["response"] for m in messages] == ["utter_aftercare_date_not_kept"]
    assert slots == {"treatment_date_pending": None}


def test_a_date_from_last_year_says_the_year():
    assert aftercare.describe_day(date(2025, 12, 20)) == "Saturday 20 December 2025"


@pytest.mark.parametrize("key, treated_on, response, day", [
    ("faq/side_effects", "2026-11-29", "utter_aftercare_day_fading", "5"),  # "still swollen on day 5?"
    ("faq/side_effects_bruising", "2026-12-02", "utter_aftercare_day_settling", "2"),
    ("faq/downtime", "2026-12-04", "utter_aftercare_day_first", "0"),
    ("faq/aftercare", "2026-11-20", "utter_aftercare_day_after_week", "14"),
])
def test_side_effect_downtime_and_aftercare_questions_are_answered_for_the_day(key, treated_on, response, day):
    messages, slots = run(ActionAnswerForTheDay(), tracker("still swollen, is that ok?", key=key,
                                                           slots={"treatment_date": treated_on}))
    assert [(m["response"], m.get("day")) for m in messages] == [(response, day)]
    assert slots == {}


@pytest.mark.parametrize("key", ["faq/price", "faq/aftercare_makeup", "faq/results"])
def test_other_questions_get_their_usual_answer(key):
    messages, _ = run(ActionAnswerForTheDay(), tracker("?", key=key, slots={"treatment_date": "2026-11-29"}))
    assert [m["response"] for m in messages] == [f"utter_{key}"]


def test_no_key_gets_the_default_answer():
    messages, _ = run(ActionAnswerForTheDay(), tracker("?", slots={"treatment_date": "2026-11-29"}))
    assert [m["response"] for m in messages] == ["utter_default"]


def test_a_staff_record_answers_for_the_day_and_the_newer_date_wins(factory):
    record_treatment(factory, WA, date(2026, 11, 20), "face", "layla-haddad", "sara", now=NOW,
                     practitioners={"layla-haddad"})
    messages, _ = run(ActionAnswerForTheDay(), tracker("swollen?", key="faq/side_effects",
                                                       slots={"treatment_date": "2026-12-03"}))
    assert [(m["response"], m["day"]) for m in messages] == [("utter_aftercare_day_first", "1")]
    messages, _ = run(ActionAnswerForTheDay(), tracker("swollen?", key="faq/side_effects",
                                                       slots={"treatment_date": "2026-11-01"}))
    assert [(m["response"], m["day"]) for m in messages] == [("utter_aftercare_day_after_week", "14")]
    assert aftercare.treatment_events(WA) == [{"event": "slot", "timestamp": None, "name": "treatment_date",
                                               "value": "2026-11-20"}]
    assert aftercare.treatment_events("wa-971509999999") == []


def test_a_database_outage_still_answers(monkeypatch):
    class Down:
        def __call__(self):
            raise RuntimeError("db down")

    monkeypatch.setattr(aftercare, "session_factory", lambda: Down())
    messages, _ = run(ActionAnswerForTheDay(), tracker("swollen?", key="faq/side_effects",
                                                       slots={"treatment_date": "2026-11-29"}))
    assert [m["response"] for m in messages] == ["utter_aftercare_day_fading"]
    assert aftercare.treatment_events(WA) == []


def test_rules_route_the_date_and_faq_only_when_a_date_is_known():
    rules = yaml.safe_load(open("data/rules/aftercare.yml", encoding="utf-8"))["rules"]
    steps = {r["rule"]: r["steps"] for r in rules}
    conditions = {r["rule"]: r.get("condition") for r in rules}
    assert steps["the patient tells the date of their session"] == [{"intent": "tell_treatment_date"},
                                                                   {"action": "action_treatment_date"}]
    faq_rule = "a FAQ question when the session date is known"
    assert steps[faq_rule] == [{"intent": "faq"}, {"action": "action_answer_for_the_day"}]
    assert conditions[faq_rule] == [{"slot_was_set": ["treatment_date"]}]


def test_responses_used_exist_with_an_arabic_variation():
    domain = yaml.safe_load(open("domain.yml", encoding="utf-8"))
    for name in aftercare.RESPONSES_USED:
        variations = domain["responses"][name]
        assert any((v.get("condition") or [{}])[0].get("value") == "ar" for v in variations), name
    assert {"treatment_date", "treatment_date_pending"} <= set(domain["slots"])
    assert {"action_treatment_date", "action_confirm_treatment_date", "action_answer_for_the_day"} <= set(
        domain["actions"])


def test_a_new_session_carries_the_date_staff_recorded(factory):
    from actions.handoff import ActionSessionStart

    record_treatment(factory, WA, date(2026, 12, 1), "face", "layla-haddad", "sara", now=NOW,
                     practitioners={"layla-haddad"})
    domain = {"session_config": {"carry_over_slots_to_new_session": True}}
    events = ActionSessionStart().run(CollectingDispatcher(), tracker(), domain)
    assert {"name": "treatment_date", "value": "2026-12-01"}.items() <= next(
        e for e in events if e["event"] == "slot" and e["name"] == "treatment_date").items()
    told = ActionSessionStart().run(CollectingDispatcher(), tracker(slots={"treatment_date": "2026-12-03"}), domain)
    assert [e["value"] for e in told if e["event"] == "slot" and e["name"] == "treatment_date"] == ["2026-12-03"]
