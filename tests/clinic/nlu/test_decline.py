"""The fallback rule: unsure, too close to call, or too likely off-topic."""
from clinic.nlu.decline import DeclineRule


def test_without_an_out_of_scope_share_it_is_rasas_fallback_rule():
    rule = DeclineRule(threshold=0.5, ambiguity=0.05)
    assert rule.declines("faq", 0.45, 0.3, 0.0)           # too unsure
    assert rule.declines("faq", 0.52, 0.48, 0.48)         # too close to call
    assert not rule.declines("faq", 0.6, 0.35, 0.35)      # the share alone is not used


def test_a_large_out_of_scope_share_declines_a_confident_answer():
    rule = DeclineRule(threshold=0.5, ambiguity=0.05, out_of_scope=0.2)
    assert rule.declines("faq", 0.75, 0.2, 0.2)
    assert not rule.declines("faq", 0.75, 0.19, 0.19)
    assert not rule.declines("faq", 0.95, 0.03, 0.03)


def test_an_off_topic_top_intent_is_not_declined_for_its_own_share():
    # small talk is out_of_scope/smalltalk: it keeps its friendly reply
    rule = DeclineRule(threshold=0.5, ambiguity=0.05, out_of_scope=0.2)
    assert not rule.declines("out_of_scope", 0.9, 0.05, 0.9)
