"""The sending side of check-ins: template bodies with parameters and quick replies, what a
Graph API answer means for a job, and a tap on a template button coming back as its words."""
import json

import pytest

from clinic.channels import whatsapp as wa
from clinic.channels.graph_api import NOT_ON_WHATSAPP, REFUSED, RETRY, SENT, delivery_outcome
from clinic.channels.http_retry import SendResult


def test_a_template_with_parameters_and_quick_replies():
    body = wa.template_message("971501234567", "aftercare_checkin", "ar", ["Noor", "3", "+971 4"], ["all good", "stop"])
    assert body["to"] == "971501234567" and body["type"] == "template"
    template = body["template"]
    assert template["name"] == "aftercare_checkin" and template["language"] == {"code": "ar"}
    assert template["components"] == [
        {"type": "body", "parameters": [{"type": "text", "text": "Noor"}, {"type": "text", "text": "3"},
                                        {"type": "text", "text": "+971 4"}]},
        {"type": "button", "sub_type": "quick_reply", "index": "0",
         "parameters": [{"type": "payload", "payload": "all good"}]},
        {"type": "button", "sub_type": "quick_reply", "index": "1",
         "parameters": [{"type": "payload", "payload": "stop"}]},
    ]


def test_a_bare_template_is_unchanged():
    assert wa.template_message("1", "hello", "en") == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": "1", "type": "template",
        "template": {"name": "hello", "language": {"code": "en"}}}


@pytest.mark.parametrize("result, outcome", [
    (SendResult(True, 200, 1), SENT),
    (SendResult(False, 429, 4, "http 429"), RETRY),
    (SendResult(False, 500, 4, "http 500"), RETRY),
    (SendResult(False, None, 4, "timeout"), RETRY),
    (SendResult(False, 400, 1, "http 400", {"error": {"code": 132001}}), REFUSED),
    (SendResult(False, 400, 1, "http 400", {"error": {"code": 132000}}), REFUSED),
    (SendResult(False, 403, 1, "http 403", None), REFUSED),
    (SendResult(False, 400, 1, "http 400", {"error": {"code": 131026}}), NOT_ON_WHATSAPP),
])
def test_what_an_answer_means_for_a_job(result, outcome):
    assert delivery_outcome(result) == outcome


def test_a_tap_on_a_template_quick_reply_comes_back_as_its_payload_words():
    body = {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": {
        "metadata": {"phone_number_id": "100"},
        "messages": [{"id": "wamid.1", "from": "971501234567", "type": "button",
                      "button": {"payload": "stop", "text": "Stop messages"}}]}}]}]}
    [inbound] = wa.parse_notification(json.dumps(body).encode(), "100")
    assert (inbound.kind, inbound.text, inbound.sender_id) == (wa.PAYLOAD, "stop", "wa-971501234567")
