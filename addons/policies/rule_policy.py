"""Rasa's ``RulePolicy``, reading only as much of the conversation as its rules can match.

To predict an action, ``RulePolicy`` turns the whole conversation session into states
(one per action: the user's intent, slots, previous action, active loop) and then
checks every rule against the end of that list. A rule of *n* states only ever looks at
the last *n* states, so everything before the longest rule's length is computed and
walked over for nothing, twice per prediction and several predictions per turn; the
cost grows with every message.

``BoundedRulePolicy`` builds only the last *L* states, where *L* is the length of its
longest rule (the conversation is still replayed from the start, so slots and active
loops are exact), and builds them once per prediction instead of twice (RulePolicy asks
for them with the user's text and again with the intent). Everything else is
``RulePolicy``: the rules it learns, and the prediction it makes for any conversation,
are the same (``tests/addons/policies``).

The override is registered in :mod:`addons.compat` (``rule_policy_states``, with the Rasa
members it relies on); when it is uninstalled or ``CLINIC_RASA_PATCHES=off``, this class
builds its states exactly as ``RulePolicy`` does.
"""
from __future__ import annotations

import weakref
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from addons import compat

PATCH = "rule_policy_states"


def last_states(tracker: DialogueStateTracker, domain: Domain, count: int) -> List[State]:
    """``tracker.past_states(domain)[-count:]``, building only those states.

    The same walk as Rasa's ``Domain.states_for_tracker_history`` (without rule-only
    turns, which ``RulePolicy`` never ignores): one state before each action and one at
    the end.
    """
    applied = tracker.applied_events()
    total = 1 + sum(isinstance(event, ActionExecuted) for event in applied)
    first = max(0, total - count)
    states: List[State] = []
    replay = tracker.init_copy()
    index = 0
    for event in applied:
        if isinstance(event, ActionExecuted):
            if index >= first:
                states.append(domain._clean_state(domain.get_active_state(replay)))
            index += 1
        replay.update(event)
    states.append(domain._clean_state(domain.get_active_state(replay)))
    return states


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class BoundedRulePolicy(RulePolicy):
    """``RulePolicy`` that builds only the states its longest rule can match."""

    _last: Optional[Tuple[Any, int, int, List[State]]] = None  # tracker, events, count, states

    def _tail_states(self, tracker: DialogueStateTracker, domain: Domain, count: int) -> List[State]:
        """``last_states``, remembered for the tracker as it is now; always fresh copies
        (the featurizer edits the states it is given)."""
        last = self._last
        if last is None or last[0]() is not tracker or last[1:3] != (len(tracker.events), count):
            last = (weakref.ref(tracker), len(tracker.events), count, last_states(tracker, domain, count))
            self._last = last
        return [{key: dict(sub_state) for key, sub_state in state.items()} for state in last[3]]

    def _longest_rule(self) -> int:
        return max(
            (len(self._rule_key_to_state(key))
             for table in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH)
             for key in self.lookup.get(table, {})),
            default=0,
        )

    def _prediction_states(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        use_text_for_last_user_input: bool = False,
        rule_only_data: Optional[Dict[Text, Any]] = None,
    ) -> List[State]:
        longest = self._longest_rule() if compat.active(PATCH) else 0
        if not longest:  # nothing learnt yet, or the override is off: Rasa's own way
            return super()._prediction_states(
                tracker, domain, use_text_for_last_user_input, rule_only_data=rule_only_data)
        # What RulePolicy's featurizer does with the full list (no max_history, no
        # rule-only turns ignored): it only ever changes states one at a time.
        states = [self._tail_states(tracker, domain, longest)]
        self.featurizer._choose_last_user_input(states, use_text_for_last_user_input)
        return states[0]
