"""The action server's answers are validated as Rasa validates them, with a validator built once."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from addons.speedups import action_response

VALID = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "booking_name", "value": "Aisha", "timestamp": None},
                {"event": "action_execution_rejected", "name": "booking_form"},
                {"event": "pause"}, {"event": "followup", "name": "action_listen"}],
     "responses": [{"response": "utter_ask_booking_phone", "buttons": []}]},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"name": "x"}]},
    {"responses": [1, 2]},
    [],
]


def rasa_original(result):
    """What Rasa 3.6 does, taken from the class itself (not the patched method)."""
    import jsonschema

    jsonschema.validate(result, RemoteAction.action_response_format_spec())


@pytest.mark.parametrize("result", VALID)
def test_valid_answers_pass(result):
    rasa_original(result)
    assert action_response.validate_action_result(None, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_answers_fail_with_rasas_error(result):
    with pytest.raises(ValidationError) as expected:
        rasa_original(result)
    with pytest.raises(ValidationError) as ours:
        action_response.validate_action_result(None, result)
    assert ours.value.message.startswith(expected.value.message)
    assert ours.value.message.endswith("custom-actions")
    assert list(ours.value.path) == list(expected.value.path)


def test_install_replaces_rasas_method_and_builds_the_validator_once(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    action_response.install()
    assert RemoteAction._validate_action_result is action_response.validate_action_result
    assert action_response.response_validator() is action_response.response_validator()
