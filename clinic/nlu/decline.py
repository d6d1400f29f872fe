"""When the assistant declines a message instead of answering it (the fallback rule).

Rasa's FallbackClassifier declines when the top intent's confidence is below a threshold
or the top two intents are too close to call. One more condition is ours: the share the
classifier gives ``out_of_scope`` (its off-topic class) while another intent is on top.
On the dev split a message that is partly off-topic is declined better this way than
by raising the threshold, which declines every unsure in-scope question too: at the same
off-topic rejection far more in-scope questions are answered (docs/performance.md,
"Understanding on real text"). ``addons.nlu.fallback.ClinicFallbackClassifier`` applies
the rule in the pipeline; ``clinic.nlu.evaluate`` applies it when sweeping its settings.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class DeclineRule:
    """``threshold``: the top intent's confidence below it is too unsure;
    ``ambiguity``: the top two intents closer than it are too close to call;
    ``out_of_scope``: ``out_of_scope``'s share at or above it, with another intent on
    top, is too likely off-topic (``None``: not used, as Rasa's FallbackClassifier)."""

    threshold: float
    ambiguity: float = 0.0
    out_of_scope: Optional[float] = None

    def declines(self, top: str, confidence: float, runner_up: float,
                 out_of_scope_share: float) -> bool:
        """Whether a message whose top intent is ``top`` (``confidence``; the second
        intent's ``runner_up``; ``out_of_scope``'s ``out_of_scope_share``) is declined."""
        if confidence < self.threshold or confidence - runner_up < self.ambiguity:
            return True
        return (self.out_of_scope is not None and top != OUT_OF_SCOPE
                and out_of_scope_share >= self.out_of_scope)
