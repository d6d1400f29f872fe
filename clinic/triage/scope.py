"""Which part of a message a matched sign belongs to, and whether it is denied.

A message is cut into clauses at punctuation and at conjunctions ("but", "and",
"though", ...), so "no pain but there's pus" keeps the pus. Inside a clause a
negation word ("no", "not", "n't", "never", "without") cancels a sign that follows it
within a few words, unless a new subject starts in between ("no fever my lips are
swollen"). "not sure if", "don't know if" are not negations. A clause that asks about
risks in general ("can it cause an infection?", "what if I get a fever") is
hypothetical and does not count.

In a longer story a sign is also left out when it is only the writer's guess ("could this
be an infection?"), someone else's past story ("my friend got an infection after
fillers"), history long ago ("I fainted once years ago"), a fear or a plan ("scared of
swelling"), or a milder sign that the same or the next sentence says went away ("slight
dizziness, but by the next day I was fine": :func:`is_resolved`, which ignores "hasn't
gone away", "was fine at first" and a fresh report after the resolution). A sign asked about as a
condition ("if i get fever after, should i call?"), a list of signs to watch for, and a sign in
one's past asked about before a treatment to come (:func:`is_history_question`: "i fainted once
when they took my blood, can i still do the prp?") are not reports either.
"""
from __future__ import annotations

import re
from typing import List, Sequence

CLAUSE_PUNCT = {",", ";", ".", "!", "?", ":", "…", "...", "--", "—", "–", "\n", "(", ")"}
STRONG_CLAUSE_WORDS = {"but", "though", "although", "however", "yet", "except", "whereas", "while",
                       "because", "cause", "coz", "cuz", "bcoz", "bcz", "bt"}
# "and" ends the reach of a negation ("no fever and pus") but a sign may span it
# ("eyelid is drooping and swollen")
WEAK_CLAUSE_WORDS = {"and", "plus", "also", "n", "&"}
NEGATIONS = {"no", "not", "never", "without", "none", "nothing", "nor", "neither", "nil", "zero"}
# after a negation these mean uncertainty, not denial: "not sure if it's pus"
PSEUDO_AFTER = {"sure", "certain", "know", "idea", "understand", "stop"}  # "can't stop itching" is itching
PSEUDO_NEXT = {"only", "just"}  # "not only", "not just"
# a new subject ends the reach of a negation ("no fever my lips are swollen")
TERMINATORS = {"my", "i", "it", "its", "there", "theres", "she", "he", "her", "his", "now",
               "today", "this", "that", "which", "still", "then", "suddenly", "just", "only",
               "apart", "except"}
# negations of a thought reach further: "I don't think it's infected"
THOUGHT_VERBS = {"think", "believe", "feel", "look", "seem", "see", "notice", "appear"}
# ... but not past a fresh time cue: "i am starting not to believe so now my eyes are almost swollen shut" (a story
# typed with no full stop)
FRESH_TIME = {"now", "today", "tonight", "suddenly", "then"}
NEGATION_REACH = 5
THOUGHT_REACH = 8

HYPOTHETICAL = re.compile(
    r"\b(risks? of|chances? of|possible to|possibility of|what if|in case|what happens if|what (should|do"
    r"|to) (i )?do if"
    r"|how (do|can|would|will) i (know|tell)|how to (avoid|prevent|tell|know)|prevent\w*|avoid\w*"
    r"|(can|could|will|would|does|do|might|may) (it|this|that|mesotherapy|botox|fillers?|microneedling|peels?"
    r"|prp|threads?|they|injections?"
    r"|the (treatment|injections?|procedure|session|needles?|(numbing )?cream))"
    r" (cause|make|give|lead|result|trigger|hurt|pain|block|damage|spread|migrate|paraly[sz]e|freeze"
    r"|be (very |really |so |too |more |less )?painful)"
    r"|(will|can|could|would|might) i (get|have|develop)"
    r"|how (much )?(painful|does it hurt|bad)|what are the (signs|symptoms|risks|side effects)"
    # what to watch for: "she told me to look out for signs of infection like pus or fever"
    r"|(look|looking|watch|watching|check|checking) (out )?for (any |the |possible |early )?(warning )?(signs?"
    r"|symptoms?)"
    r"|(what|which|how)\b[^.?!]{0,80}\b(signs?|symptoms?) of"
    r"|(is|are) (it|meso|mesotherapy|this|the (treatment|injections?|procedure|needles?)) (very |really |so "
    r"|more |less )?painful"
    r"|(stop|pause) if|history of|can a person with|eligible|suitable for|before (the |my )?(treatment|session"
    r"|procedure)"
    # fears and plans, not findings: "I'm scared of swelling and infection", "thinking of getting lip filler"
    # (a worry about how one is breathing or seeing now is a report: "nurses were worried about my breathing")
    r"|(scared|afraid|terrified|nervous|frightened|worried|anxious|paranoid) (of|about)"
    r"(?! (my|her|his|their) (breathing|breath|vision|eyesight|sight)\b) (getting |having |an? )?"
    r"|thinking (of|about) (getting|having|doing)"
    r"|considering (getting|having)|planning (to|on)"
    # a question about what the treatment treats: "do you treat acne scars with pus bumps?"
    r"|(do|can|does|will|would) (you|it|meso|mesotherapy|microneedling|prp|the treatment|this|that) (treat|work (on"
    r"|for)|fix|remove|get rid of))\b"
)


# a sign told as a condition in a question: "if i get fever after should i call?", "should i go to the ER if
# my lips turn white?" (the sign within a few words of the "if", and a "?" in the sentence: "if i get up i feel
# dizzy" is a report)
CONDITIONAL = re.compile(
    r"\bif (i|u|you|my \w+|it|they|the \w+|there'?s?( is| are)?) (\w+ )?(get|gets|got|have|has|develop|develops"
    r"|notice|notices|see|sees|start|starts|turn|turns|go|goes|become|becomes|feel|feels|experience|experiences"
    r"|is|are|look|looks|stay|stays|keep|keeps)( (?!(i|my|it|me|its|im|i'm)\b)\w+){0,3}$")
# ... unless the condition points at what is there: "if my lip is white like this", "if it is this swollen",
# "if i get dizzy every time i stand up"
CONDITION_IS_REPORT = re.compile(r"\b(like (this|that)|this (much|swollen|bad|big|red|white|blue|hot|painful)"
                                 r"|right now|now|already|every ?time|whenever|each time|always|keeps?|still)\b")
# a list of signs to look out for: "signs of infection to look out for after microneedling?"
SIGNS_TO_WATCH = re.compile(r"\b(signs?|symptoms?) (of|like|such as)\b[^.?!]{0,60}\b(look|watch|check) (out )?for\b")
# a sign in one's past, asked about before a treatment to come: "i fainted once when they took my blood, can i
# still do the prp?", "i had an allergic reaction to penicillin before, is botox ok?"
ASKS_AHEAD = re.compile(
    r"\b((can|could|may|should|shall) i (still |safely |even )?(do|have|get|book|come for|go ahead|proceed|continue"
    r"|try|start)|(is it|it is|it 's|will it be|would it be|is that)( still)? (safe|ok|okay|fine|alright|possible)"
    r"( for me)? to (do|have|get|book|come for|go ahead|continue|proceed|start|try)|(is|are|will) (botox|filler|fillers"
    r"|meso|mesotherapy|microneedling|prp|a peel|the peel|the treatment|the session|the procedure)( still)? (be )?(safe"
    r"|ok|okay|fine|alright|possible)|ok(ay)? (for me )?to (do|have|get|book)|safe (for me )?to (do|have|get|book)"
    r"|(am i|would i be|are you|is she) (more )?(at|at more|at higher|at a higher) risk|suitable|eligible)\b")
# a sign after a treatment is a report, whatever else the message says
AFTER_TREATMENT = re.compile(r"\b(after|since|from) (the|my|this|that|your) (session|treatment|procedure|injections?"
                             r"|filler|botox|peel|appointment)\b")
HISTORY = re.compile(
    r"\b((?<!^)once(?! (i|we|it|the|my|you|she|he|they|that|this)\b)|before(?! (the|my|your|this|that|i|it|and|but"
    r"|then|when|after|now|going|getting|doing)\b)|last time|the other time|in the past|previously|used to"
    r"|(\w+ )?(months?|years?) (ago|back)|last year|in (19|20)\d\d|as a (child|kid|teen\w*)|when i was)\b")


def is_history_question(sentence: str, clause: str, message: str, past: bool = False) -> bool:
    """Whether a sign is the writer's past, told to ask about a treatment to come.

    The sign's sentence places it in the past ("once", "before", "last time", "years ago") and its
    clause is told in the past (``past``: its verb is, by the tagger) with nothing of now; the
    message asks whether a treatment is safe or possible ("can i still do the prp?").
    """
    ask = ASKS_AHEAD.search(message)
    if ask is None or not HISTORY.search(sentence) or not (past or PAST_VERB.search(clause)):
        return False
    told = message[:ask.start()]  # what comes before the question says nothing of now
    clause = ASKS_AHEAD.sub(" ", clause)  # nor does the question ("... after a tattoo can i still do meso")
    return not (PRESENT.search(clause) or RESET.search(clause) or PRESENT.search(told)
                or AFTER_TREATMENT.search(clause))


def clause_ids(keys: Sequence[str], texts: Sequence[str], is_conj: Sequence[bool],
               weak: bool = False) -> List[int]:
    """One clause number per token; punctuation and conjunctions start a new clause.

    With ``weak``, "and"-like words also start one (the reach of a negation).
    """
    ids, current = [], 0
    for key, text, conj in zip(keys, texts, is_conj, strict=True):
        if (text in CLAUSE_PUNCT or text.strip() == "" or key in STRONG_CLAUSE_WORDS or conj
                or (weak and key in WEAK_CLAUSE_WORDS)):
            current += 1
        ids.append(current)
    return ids


def is_negated(keys: Sequence[str], clauses: Sequence[int], start: int, end: int,
               negation_inside: bool) -> bool:
    """Whether the sign at tokens ``start:end`` is denied by a negation before (or in) it."""
    clause = clauses[start]
    if not negation_inside and any(_negates(keys, i) for i in range(start, end)):
        return True
    i = start - 1
    seen: List[str] = []
    while i >= 0 and clauses[i] == clause:
        if _negates(keys, i):
            thought = any(k in THOUGHT_VERBS for k in keys[i + 1:i + 3])
            reach = THOUGHT_REACH if thought else NEGATION_REACH
            blocked = any(k in (FRESH_TIME if thought else TERMINATORS) for k in seen)
            return len(seen) < reach and not blocked
        seen.append(keys[i])
        i -= 1
    return False


def _negates(keys: Sequence[str], i: int) -> bool:
    if keys[i] not in NEGATIONS:
        return False
    following = keys[i + 1:i + 3]
    if following[:1] and following[0] in PSEUDO_NEXT:
        return False
    return not any(k in PSEUDO_AFTER for k in following)


# comparisons with other procedures anywhere in the sentence: "is it worse than a tattoo"
COMPARISON = re.compile(
    r"\bthan (on |with )?(a |an |the )?(tattoo|botox|laser|microneedling|fillers?|injections?|waxing"
    r"|threading|piercing|dermaroller|peel|other (treatments?|procedures?|injections?|clinics?|peels?))\b"
)
# a fresh report after a general cue: "before the session i was fine, now my lips are swollen"
RESET = re.compile(r"\b(but|now|today|still|since|yesterday|tonight|this morning|suddenly|then|currently)\b")
# the sign is in the past: "i had fever last month, can i still do the session"
PAST = re.compile(
    r"\b(last (week|month|year|summer|winter)|((a|one|two|three|few|\d+) )?(weeks?|months?|years?) ago"
    r"|ages ago|long time ago"
    r"|in the past|previously|history of|years? back|months? back|in (january|february|march|april|may|june"
    r"|july|august|september|october|november|december))\b")
# the treatments this clinic and its neighbours give, as patients name them (regex alternatives;
# also clinic.triage.engine.CLINIC_TREATMENT)
TREATMENT_WORDS = (r"meso\w*|sessions?|treatments?|microneedl\w*|needling|skin ?boosters?|fillers?|botox|peels?|prp"
                   r"|profhilo|injectables?")
# a treatment in the clause: a time cue there dates the treatment, and a sign after it is a report
TREATMENT_TIME = re.compile(rf"\b({TREATMENT_WORDS}|procedures?|injections?|appointment)\b")
# long ago, whatever the verb: history, not a report
LONG_AGO = re.compile(r"\b((\w+ )?(years?|months?) ago|ages ago|long time ago|last year"
                      r"|when i was (young|little|a child|a kid|a teenager))\b")
COMING_BACK = re.compile(r"\b(back|returned|recurred|reappeared|again)\b")
# past verbs of a story: "she had", "her lips swelled up", "it turned blue", "he ended up in hospital"
PAST_VERB = re.compile(r"\b(had|was|were|got|used to|suffered|swelled|turned|went|developed|ended up|came|started"
                       r"|broke out|reacted|needed)\b")
PRESENT = re.compile(r"\b(now|still|today|currently|since|again|this morning|tonight)\b")
# someone else's past story (not a relative who may be the patient): "my friend had a rash after fillers"
OTHER_PERSON = re.compile(r"^\W*(and |but |so )?(my |a |one of my |her |his )?"
                          r"(friends?|colleagues?|cousins?|neighbou?rs?|someone|somebody|people|a girl|a woman"
                          r"|a lady|a guy|celebrit(y|ies)|influencers?)\b")
# a story the writer saw, read or heard about: "I saw on TV that Kim had a severe reaction", "I read about a
# girl whose lip went black". Relatives stay reports: a mother may write for her daughter.
SECONDHAND = re.compile(
    r"\b((saw|seen|see|watched|watching|came across)\b[^.!?]{0,40}\b(on (the )?(tv|news|tiktok|instagram|youtube"
    r"|facebook|social media|reddit|twitter|internet|telly)|online|in (the|a) (news|paper|magazine|article)"
    r"|an? (video|story|post|clip|documentary|article|programme|program)|about)"
    r"|(read|heard|reading)\b[^.!?]{0,30}\b(that|about|of|how|a story|an article|online))\b")
THIRD_PERSON_START = re.compile(r"^\W*(and |but |so |then )?(she|he|they|her|his|their)\b")
# a general question: a wh- sentence that says nothing about the writer
WH_START = re.compile(r"^\W*(what|which|how|why|who|where|when)\b")
# "when she took her second dose, she felt ...": a story's time clause, not a question
WHEN_STORY = re.compile(r"^\W*when (she|he|they|her|his|their|the|a|an)\b[^?]*?\b(took|got|had|went|came|woke|was"
                        r"|were|\w+ed)\b")
# "what are these white heads on every injection point?": the writer points at what they see
DEICTIC_WH = re.compile(r"^\W*(what|why) (are|is|'s|do|does) (these|this|those)\b")
FIRST_PERSON = re.compile(r"\b(i|i'm|im|i've|ive|me|my|mine|myself|we|our|us)\b")


# a sign that the message then says went away: "slight dizziness, but by the next day I was fine",
# "it burned ... Good thing, the stinging subsided pretty quickly"
RESOLVED = re.compile(
    r"\b(went away|gone away|goes away|(went|came|go|goes|come|comes|gone) down"
    r"|subsided?|stopped|settled( down)?|settles( down)?|calmed( down)?|died down|faded( away)?|cleared( up)?"
    r"|wore off|worn off|disappeared|resolved|softened"
    r"|(was|were|felt|i was|i'm|i am) (totally |completely |absolutely )?(fine|okay|ok|normal)"
    r"|back (to )?normal|(it|that) was (all )?over(?=\s*(?:[.!;]|$))"
    # "they hurt more than I was expecting but it was all over pretty quickly"
    r"|(it|that|they) (was|were|is|are) (all )?over (pretty |very |really |so )?(quickly|quick|fast|soon)"
    # better and only mild now: "by day three it was just mild tenderness"
    r"|(was|is|it'?s|were|are) (just|only) (a )?(mild|slight|a bit of|a little|minor)"
    r"|worse before (it|they|things|my skin) (got|gets|get) better)\b")
# what makes a fresh cue a fresh report: a sign word, or the sign coming back
REPORT_WORDS = re.compile(
    r"\b(back|again|returned|worse|swell\w*|swollen|puff\w*|pain\w*|sore\w*|hurt\w*|red\w*|hot|warm|pus|ooz\w*"
    r"|lump\w*|bump\w*|numb\w*|itch\w*|bruis\w*|burn\w*|spread\w*|fever\w*|blister\w*|hard|tender\w*|throb\w*"
    r"|ache|aching|dizzy|faint\w*|weep\w*|blue|white|grey|black|purple|droop\w*|tight\w*)\b")
# ... unless a fresh report follows the resolution ("it went down but now it's back")
FRESH = re.compile(r"\b(but|now|again|still|back|returned|came back|worse|then|today|tonight|currently|except)\b")
# a guess about one's own symptom, not a finding: "could this be an infection?", "is it an allergy?"
GUESS = re.compile(
    r"\b((could|can|might|may|would|will) (this|it|that|these|they|i) (be|have|mean|get)"
    r"|(is|are) (this|it|that|these|they)( maybe| possibly)?|do i have|i wonder if|am i having|worried (it|this"
    r"|that) (is|could be|might be)"
    r"|(scared|afraid|worried|terrified) (of|about) (getting|an?|the)"
    # a guess told afterwards: "i thought it was infected" (looking back, it was not)
    r"|i (thought|feared|assumed|was (worried|scared|afraid|convinced|sure)) (that )?(it|this|that|they|i|my \w+)"
    r" (was|were|had|'d|might|could|would)( be| have)?)( an?)?( \w+)?$")


# "hasn't gone away", "won't go down", "never settled", "not yet faded": no resolution at all
NOT_YET = re.compile(r"(\b(not|no|never|nt|yet|hasn|haven|hadn|didn|doesn|don|won|isn|wasn|can|cannot|couldn|hasnt"
                     r"|havent|hadnt|didnt|doesnt|dont|wont|isnt|wasnt|cant|couldnt|aint)\b"
                     r"|n't|n’t)\W*(\w+\W+){0,2}$")
# "dizzy but otherwise I'm fine": fine apart from the sign
OTHERWISE = re.compile(r"\b(otherwise|apart from|other than|besides|except|aside from)\b")
# "it was fine at first": the state before the sign, not after it
EARLIER = re.compile(r"^\W*(at first|initially|before|until|till|to begin with|at the start|earlier|the first day)\b")


def is_secondhand(text_so_far: str, sentence: str, earlier: str) -> bool:
    """Whether a sign belongs to a story the writer saw or read about, not to the writer.

    ``text_so_far`` runs from the start of the sign's sentence to the sign; ``earlier`` is the
    one or two sentences before it. A fresh report after the cue ("... and now my lip is white")
    is the writer's own.
    """
    cues = list(SECONDHAND.finditer(text_so_far))
    cue = cues[-1] if cues else None
    if cue is not None and not RESET.search(text_so_far[cue.end():]) \
            and not re.search(r"\bmy\b", text_so_far[cue.end():]):
        return True
    return bool(SECONDHAND.search(earlier) and THIRD_PERSON_START.search(sentence)
                and not FIRST_PERSON.search(sentence))


def is_resolved(after_sign: str, next_sentence: str = "") -> bool:
    """Whether the text after a sign (rest of its sentence, then the next sentence) says it went away.

    A resolution counts only when nothing after it reports the sign again.
    """
    for text in (after_sign, next_sentence):
        for match in RESOLVED.finditer(text or ""):
            rest = text[match.end():]
            if EARLIER.search(rest) or NOT_YET.search(text[:match.start()]) \
                    or OTHERWISE.search(text[:match.start()]):
                continue  # "was fine at first", "hasn't gone away", "otherwise I'm fine"
            fresh = FRESH.search(rest)
            return not (fresh and REPORT_WORDS.search(rest[fresh.start():]))  # "... and now I love them"
    return False


# a sign word said of something that is not the body: a price, a wait, the stairs
# ("i almost fainted when i saw the price", "the wait is killing me", "breathless after climbing stairs")
FIGURE_OF_SPEECH = re.compile(
    r"\b(when (i|we) (saw|see|heard|hear|read|got|checked) (the|your|ur|that|this) (price|prices|bill|cost|costs|quote"
    r"|invoice|total|fees?)"
    r"|(price|prices|cost|costs|bill|fees?|wait|waiting|traffic|queue|suspense) (is|are|was|were|'s)"
    r" (literally )?killing"
    r"|killing me to wait"
    r"|(after|from|climbing|climb|taking|take) (the |\d+ |two |three |a few )?(flights? of )?stairs)\b")


def is_figure_of_speech(clause: str) -> bool:
    """Whether the sign's clause says it of a price, a wait or the stairs, not of the treated skin."""
    return bool(FIGURE_OF_SPEECH.search(clause.lower()))


def is_guess(text_before_sign: str) -> bool:
    """Whether a sign word is only the writer's guess ("could this be an infection?")."""
    return bool(GUESS.search(text_before_sign.strip()))


def is_hypothetical(text_so_far: str, sentence: str = "", clause: str = "", late_reaction: bool = False) -> bool:
    """Whether a sentence asks about risks in general rather than describing a symptom.

    ``text_so_far`` runs from the start of the sentence to the end of the sign; a general
    cue followed by a fresh report ("... but now it's oozing") does not count. ``clause``
    is the sign's clause: a sign put in the past ("had fever last month") is history, unless it is a late
    reaction to a treatment the message dates years before (``late_reaction``: "In 2019 I had lip filler. Last
    month my lip swelled up and got red and hard").
    """
    cues = list(HYPOTHETICAL.finditer(text_so_far))
    if cues and not RESET.search(text_so_far[cues[-1].end():]):
        return True
    if COMPARISON.search(sentence) or SIGNS_TO_WATCH.search(sentence):
        return True
    if "?" in sentence and CONDITIONAL.search(text_so_far) and not CONDITION_IS_REPORT.search(sentence):
        return True
    if clause and PAST.search(clause) and PAST_VERB.search(clause) and not PRESENT.search(clause) \
            and not TREATMENT_TIME.search(clause) and not late_reaction:
        return True  # (not "i had prp 2 weeks ago and i got pus": the time is the treatment's)
    if clause and LONG_AGO.search(clause) and not PRESENT.search(clause) and not COMING_BACK.search(clause):
        return True  # "I fainted once at the dentist years ago"
    if clause and OTHER_PERSON.search(clause) and PAST_VERB.search(clause) \
            and not PRESENT.search(clause.replace("again", "")):  # "her lips swelled up again" is her story
        return True  # "my friend got an infection after fillers at another place"
    return bool(sentence and WH_START.search(sentence) and not FIRST_PERSON.search(sentence)
                and not DEICTIC_WH.search(sentence)
                and not ("?" not in sentence and WHEN_STORY.search(sentence)))
