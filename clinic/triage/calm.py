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
vision, colour, spreading, worse, severe...).
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
# the sign changed for the better (not "it was fine", which is often the state before the sign)
WENT_AWAY = re.compile(r"\b(went away|gone away|goes away|(went|came|gone|has gone) down(?! (my|to|the|towards|into|her"
                       r"|his|your|past|along|over|across))|subsided|settled( down)?"
                       r"|calmed( down)?|died down|faded( away)?|cleared( up)?|wore off|worn off|disappeared"
                       r"|resolved|back to normal|healed( up)?)\b")
SYMPTOM = re.compile(r"\b(swell\w*|swollen|puff\w*|pain\w*|sore\w*|hurt\w*|ache|aching|tender\w*|red|redness"
                     r"|bruis\w*|sting\w*|stung|tight\w*|bumps?|spots?|marks?|throb\w*|headache)\b")
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
    if ALARM.search(low):
        return False
    return bool(_all_mild(low) or BRIEF.search(low) or DURING.search(low) or EXPECTED.search(low))


def _all_mild(low: str) -> bool:
    """Every symptom the message names is qualified as mild ("slightly sore lips", "a little painful")."""
    symptoms = list(SYMPTOM.finditer(low))
    if not symptoms or not MILD.search(low):
        return False
    return all(MILD.search(low[max(0, m.start() - 25):m.start()]) or MILD.search(low[m.end():m.end() + 12])
               for m in symptoms)
