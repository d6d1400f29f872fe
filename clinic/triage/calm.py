"""Calm evidence: a message the rules passed that says, in its own words, it is the expected course.

The rules pass a message either because they found no sign words at all (a paraphrase the
lexicon lacks may hide there: the learned signal and the classifier may still catch it) or
because the message itself says the course is the usual one: the sign went away ("the bumps
went away after a few hours"), it is mild and nothing else is named ("slightly sore lips",
"a little painful, it lasts only a few minutes"), it happened during the treatment, or the
writer calls it a side effect they were told about. In the second case the learned signal
and the classifier's own ``urgent_symptom`` should not overrule the rules: that is how the
calm reports above became false alarms that paused the conversation.

Any alarming word keeps the message open to the second opinions (a fever, pus, breathing,
vision, colour, spreading, worse, severe...), unless a negation right before takes it back
("not spreading", "no fever": never for breathing, swallowing, vision, colour or fainting,
whose negation is itself the alarm) or it is an itch called mild where it is ("just itchy a
bit", not "a bit itchy all over").
"""
from __future__ import annotations

import re

from clinic.triage.scope import NOT_YET

MILD = re.compile(r"\b(slight(ly)?|a (little|bit|tad|touch)( bit)?|little bit|mild(ly)?|minor|tiny|faint(ly)?"
                  r"|barely|just a bit|somewhat)\b")
BRIEF = re.compile(r"\b((lasts?|lasted|only|just) (for )?(a few|a couple of|few|a|one|1|2|two) (seconds?|minutes?"
                   r"|mins?|hours?|hrs?)|went away (after|within|in) (a few|a couple of|few|an?|one|1|2|two) (minutes?"
                   r"|mins?|hours?|hrs?))\b")
DURING = re.compile(r"\bduring (the |my )?(treatment|session|procedure|injections?|peel|needling|microneedling"
                    r"|appointment)\b")
EXPECTED = re.compile(r"\b(side effects?|as expected|to be expected|like (they|she|he|you|the doctor|the nurse) said"
                      r"|(they|she|he|you|the doctor|the nurse) (said|told me) (it'?s|it was|this is|that'?s) normal"
                      r"|the usual)\b")
# words that keep a message open to the second opinions whatever else it says
ALARM = re.compile(
    r"\b(pus|ooz\w*|weep\w*|fever\w*|temperature|chills?|shiver\w*|blister\w*|breath\w*|swallow\w*|throat|tongue"
    r"|vision|sight|blind|blur\w*|faint\w*|dizz\w*|passed out|white|blue|grey|gray|black|purple|dusky|mottled|cold"
    r"|spread\w*|worse\w*|worsen\w*|bigger|growing|severe\w*|unbearable|excruciating|agony|very|really|so much"
    r"|extremely|terrible|horrible|awful|hot|hives?|rash\w*|itch\w*|numb\w*|hard|lump\w*|infect\w*|abscess|smell\w*"
    r"|crust\w*|burn\w*|raw|open|bleed\w*|droop\w*|paraly\w*|hospital|emergency|ambulance|allerg\w*|reaction)\b")
# alarm words a negation right before takes back ("not spreading", "no fever", "isn't getting
# worse", "without any pus"); never those whose negation is itself the alarm ("not breathing
# properly", "no vision", "can't swallow") nor a colour, a faint or a word of degree
NEGATABLE = re.compile(r"^(pus|ooz\w*|weep\w*|fever\w*|temperature|chills?|blister\w*|spread\w*|worse\w*|worsen\w*"
                       r"|bigger|growing|hot|hives?|rash\w*|itch\w*|hard|lump\w*|infect\w*|abscess|smell\w*|crust\w*"
                       r"|bleed\w*|allerg\w*|reaction)$")
NEGATION_BEFORE = re.compile(r"\b(not|no|isn'?t|wasn'?t|aren'?t|without|never|nothing|zero|nt)\s+(\w+\s+){0,2}$")
# an itch called mild ("just itchy a bit", "slightly itchy") is a mild symptom, not an alarm, unless it is everywhere
EVERYWHERE = re.compile(r"\b(all over|whole body|everywhere|my body|arms?|legs?|chest|neck)\b")
# the sign changed for the better (not "it was fine", which is often the state before the sign)
WENT_AWAY = re.compile(r"\b(went away|gone away|goes away|(went|came|gone|has gone) down(?! (my|to|the|towards|into|her"
                       r"|his|your|past|along|over|across))|subsided|settled( down)?"
                       r"|calmed( down)?|died down|faded( away)?|cleared( up)?|wore off|worn off|disappeared"
                       r"|resolved|back to normal|healed( up)?)\b")
SYMPTOM = re.compile(r"\b(swell\w*|swollen|puff\w*|pain\w*|sore\w*|hurt\w*|ache|aching|tender\w*|red|redness"
                     r"|bruis\w*|sting\w*|stung|tight\w*|bumps?|spots?|marks?|throb\w*|headache|itch\w*)\b")
# a fresh report after the calm part: "it went away but now it's back"
FRESH = re.compile(r"\b(but now|now it'?s|again|came back|come back|coming back|back again|still)\b")


def says_expected_course(text: str) -> bool:
    """Whether a message the rules did not flag tells the expected course in its own words."""
    low = (text or "").lower().replace("’", "'").replace("`", "'").replace("´", "'")
    if not low.strip() or FRESH.search(low):
        return False
    for match in WENT_AWAY.finditer(low):
        if not NOT_YET.search(low[:match.start()]):
            return True  # "the bumps from the injections went away after a few hours"
    if any(_alarming(low, match) for match in ALARM.finditer(low)):
        return False
    return bool(_all_mild(low) or BRIEF.search(low) or DURING.search(low) or EXPECTED.search(low))


def _alarming(low: str, match: re.Match) -> bool:
    """Whether an alarm word counts: not when a negation right before takes it back ("not
    spreading", "no fever"), nor an itch called mild where it is ("just itchy a bit")."""
    word = match.group(0)
    if NEGATABLE.match(word) and NEGATION_BEFORE.search(low[max(0, match.start() - 30):match.start()]):
        return False
    if word.startswith("itch") and not EVERYWHERE.search(low) and _mild_near(low, match):
        return False
    return True


def _mild_near(low: str, match: re.Match) -> bool:
    """A word of mildness just before the word or just after it ("slightly sore", "itchy a bit")."""
    before, after = low[max(0, match.start() - 25):match.start()], low[match.end():match.end() + 12]
    return bool(MILD.search(before) or MILD.search(after))


def _all_mild(low: str) -> bool:
    """Every symptom the message names is qualified as mild ("slightly sore lips", "a little painful")."""
    symptoms = list(SYMPTOM.finditer(low))
    if not symptoms or not MILD.search(low):
        return False
    return all(_mild_near(low, m) for m in symptoms)
