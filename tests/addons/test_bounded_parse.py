"""The NLU entry point: bounded text, the graph off the event loop (addons/nlu/bounded_parse.py)."""
from __future__ import annotations

import inspect

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor

from addons.nlu import bounded_parse


def test_the_replaced_method_is_the_one_rasa_3_6_has():
    # bounded_parse.parse_message repeats what Rasa's does around the graph; if Rasa's
    # changes (an upgrade), this tells us to look again
    bounded_parse.install()
    original = inspect.getsource(bounded_parse._original_parse_message)
    for step in ("self.http_interpreter", "self._parse_message_with_graph(", "self._update_full_retrieval_intent(",
                 "self._check_for_unseen_features("):
        assert step in original
    assert MessageProcessor.parse_message is bounded_parse.parse_message
    bounded_parse.install()  # once only
    assert bounded_parse._original_parse_message is not bounded_parse.parse_message


def test_short_messages_are_passed_on_as_they_are():
    message = UserMessage("how much is it?", sender_id="s")
    assert bounded_parse.bounded_message(message) is message
    long = UserMessage("hi" + "!" * 50, sender_id="s", metadata={"language": "en"})
    seen = bounded_parse.bounded_message(long)
    assert seen is not long and seen.text == "hi!!!" and seen.metadata == {"language": "en"}
    assert long.text == "hi" + "!" * 50
