"""The triage engine: find warning signs in a spaCy ``Doc``.

``Triage(vocab).assess(doc)`` works on any Doc of an English pipeline: the one Rasa's
``SpacyNLP`` already made (lowercased when ``case_sensitive: false``) or one from
:func:`clinic.triage.nlp.load_nlp`. It needs no Rasa.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Dict, List, Tuple

from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from clinic.nlu.chatspeak import spell_out
from clinic.triage import arabic
from clinic.triage.course import course_signs
from clinic.triage import patterns as P
from clinic.triage.lexicon import read_word, split_contraction
from clinic.triage.scope import (AFTER_TREATMENT, ASKS_AHEAD, CLAUSE_PUNCT, HISTORY, HYPOTHETICAL, OTHER_PERSON,
                                 PAST, PAST_VERB, PRESENT, STRONG_CLAUSE_WORDS, TREATMENT_TIME, TREATMENT_WORDS,
                                 WEAK_CLAUSE_WORDS, clause_ids, is_figure_of_speech, is_guess, is_history_question,
                                 is_hypothetical, is_negated, is_resolved, is_secondhand)

MILD = {"mild", "mildly", "slight", "slightly", "little", "bit", "small", "abit", "tiny", "minor"}
AIRWAY_SITES = {"throat", "tongue"}
# Swollen lips after lip filler are the expected course: the lips were the treated area
# ("lip filler", "filler in my lips", "my lips were injected") and nothing else points to
# an allergy. Any other sign in the message (itching, hives, throat, breathing, pain that
# is severe, colour change, worsening) is its own rule and still flags it.
LIP_TREATMENTS = {"filler", "fillers", "inject", "injection", "juvederm", "volbella", "restylane",
                  "augmentation", "syringe", "cc", "ml", "plump", "product"}
ALLERGY_COMPANIONS = {"itch", "itchy", "itching", "hive", "rash", "throat", "tongue", "breathe",
                      "swallow", "wheeze", "eye", "face", "cheek", "body"}
# numbness from the numbing cream, or from the dentist's injection, is expected (unless it lasts days)
NUMBING = {"numbing", "cream", "anaesthetic", "anesthetic", "lidocaine", "emla", "anaesthesia", "anesthesia",
           "dentist", "dental", "novocaine", "novocain", "novacaine", "articaine", "septocaine", "freezing",
           "gum"}  # "numbness crawling up past my gum line": the dentist's injection
# words for the size a numb face seems to have: "the side of my face feels tingly and huge"
FEELS_BIG = {"huge", "big", "bigger", "double", "enlarge", "enlarged", "balloon", "fat"}
NUMB_WORDS = {"numb", "tingle", "numbing"}
# the dentist's numbing injection: its numbness (and the odd words while the lip is numb) pass
DENTAL = {"dentist", "dental", "novocaine", "novocain", "novacaine", "articaine", "septocaine"}
# a treatment of this clinic named in the message: a vaccine mentioned beside it excuses nothing
CLINIC_TREATMENT = re.compile(rf"\b({TREATMENT_WORDS}|clinic|polynucleotides?)\b")
# a vaccine in the message: fever, chills and a sore arm afterwards are its usual course
VACCINE = re.compile(r"\b(vaccin\w*|flu (shot|jab)|tetanus|immuni[sz](ation|ations|ed|e)|moderna|pfizer|astra ?zeneca"
                     r"|j ?& ?j|johnson ?& ?johnson"
                     r"|covid( ?-?19)? (booster|shot|jab|dose))\b")  # a bare "booster shot" may be a skin booster
ARM_SITES = {"arm", "arms", "shoulder", "shoulders"}
# a red, warm mark on the vaccinated arm (not hives, not spreading, nothing beyond the arm)
ARM_MARK_LABELS = {"infection.inflamed", "infection.heat", "infection.redness", "allergic.rash"}
INTENSE_HEAT = {"stove", "oven", "furnace", "fire", "iron", "burn", "burning", "very", "really", "so", "extremely",
                "super", "too"}  # "my arm feels like it's resting on a hot stove where they vaccinated me" stays urgent
NOT_ARM = {"chest", "back", "leg", "legs", "neck", "body", "stomach", "tummy", "belly", "hand", "hands", "everywhere"}
# what fades ("red then faint"): a mark, not a person fainting
FADING_MARKS = {"red", "pink", "brown", "yellow", "purple", "white", "mark", "dot", "line", "scar", "bruise",
                "spot", "marks", "dots", "lines", "spots", "scars"}
FACE_SITES = {"lip", "eye", "face", "cheek", "throat", "tongue", "mouth", "nose", "forehead", "chin", "jaw", "temple"}
# light-headedness that the same sentence calls fine: "slightly light-headed from the adrenaline, but fine"
BUT_FINE = re.compile(r"\bbut (i'?m |i was |i felt |feeling |felt )?(fine|ok|okay|alright|all right|good)\b")
# fainting as a trait or a childhood story, not a report: "I can just pass out if I have pain",
# "a condition that makes her pass out when she experiences pain", "when I was about 12 ... passed out"
HABIT = re.compile(r"\b(whenever|every time|each time|always|tend to|tends to|if|when)\b[^.!?]{0,60}"
                   r"\b(pain|blood|needles?|shots?|injections?|jabs?|hurt)\b")
CHILDHOOD = re.compile(r"\b(when i was (about |around |only |just )?(\d+|young|little|small|a child|a kid|a teen\w*"
                       r"|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
                       r"|seventeen|eighteen|nineteen)"
                       r"|as a (child|kid|teen\w*)|in (19|20)\d\d|since i was)\b")
RECENT = re.compile(r"\b(now|still|today|tonight|yesterday|this (morning|week|afternoon|evening)|last night"
                    r"|currently|just now|since|again)\b")
# a sign in a story set in one's youth and told in the past: "i had my tongue pierced when i was seventeen ... my
# tongue swelled up like a balloon"; for a faint or an ambulance also a year at least LONG_AGO_YEARS back ("my last
# flu shot was in 2008 ... they called an ambulance"; "I had filler in 2019. My lip went white" stays a report).
# The sentence of the sign has no recent cue.
STORY_SET_LONG_AGO = re.compile(r"\b(when i was (about |around |only |just )?(1?\d|young|little|small|a child|a kid"
                                r"|a teen\w*|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
                                r"|sixteen|seventeen|eighteen|nineteen)|as a (child|kid|teen\w*)|in ((19|20)\d\d))\b")
FAINT_STORY = ("systemic.faint", "systemic.dizzy", "systemic.hospital")
# an allergy named as a diagnosis, set in a year long ago: "I had my own allergic reaction in a clinic back in 2010"
YEAR_STORY = FAINT_STORY + ("allergic.reaction", "allergic.anaphylaxis")
# a memory, not a report: "I remember what it is like to be unable to breathe" (unless set recently)
REMEMBERED = re.compile(r"\bi (still |can |do )?remember (what it('?s| is| was| felt) like|how it (felt|feels)"
                        r"|the (time|day|feeling|panic))\b")
# a known allergy to something else, asked about before a treatment: "i get hives from shellfish, can i do it"
ALLERGY_TRAIT = re.compile(r"\b(i|she|he|we) (get|gets|break out in|breaks out in|come out in|comes out in"
                           r"|am allergic|'?m allergic|m allergic|react)\b[^.?!]{0,40}?\b(from|to|when|whenever"
                           r"|if|with) (?P<trigger>[^.?!,]{1,40})")
# swelling from an everyday cause or told as a habit: "my face is swollen from crying lol", "puffy eyes in the
# morning always"
EVERYDAY_CAUSES = {"cry", "crying", "sleep", "sleeping", "salt", "salty", "alcohol", "hangover", "period", "tired",
                   "tiredness", "weep", "weeping"}
HABIT_WORDS = {"always", "usually", "normally", "generally", "typically"}
# a past faint the writer fears having again: "And yes, I've fainted in the dentist chair. I really don't want that
# to happen again."
FEAR_AGAIN = re.compile(r"\b((don'?t|do not|never) want (that|it|this) to happen again|(scared|afraid|worried|terrified"
                        r"|nervous) (that )?(it|that|this|i)('ll| will| might| could| would)? (happen|faint|pass out)"
                        r"( again)?)\b")
# a faint told as just now or at a treatment: "i've just fainted after my meso and i'm scared it will happen again"
JUST_NOW = re.compile(rf"\b(just|(after|since|during) (the|my|this|that|your|today'?s) ({TREATMENT_WORDS}))\b")
# weakness of the limbs from exercise, not from a toxin
EXERCISE = {"gym", "workout", "exercise", "training", "train", "lift", "lifting", "weight", "weights", "walk",
            "walking", "hike", "hiking", "run", "running", "yoga", "cycle", "cycling", "swim", "swimming", "climb"}
# puffiness on the morning after a treatment is its usual course ("woke up with puffy face after treatment
# yesterday"), unless an allergy, a colour or more than puffiness is named
PUFFY_WORDS = {"puffy", "puff", "puffiness"}
STORY_RECENT = re.compile(r"\b(last (week|month|session|treatment|appointment)|recent\w*|lately|(\w+ )?(hours?|days?"
                          r"|weeks?) ago|the other day|this (month|year|time)|suddenly|out of nowhere|tomorrow"
                          r"|after (my|the) (last |latest )?(session|treatment|filler|botox|appointment|injections?)"
                          r"|top ?-? ?up|latest|(on |last |this )?(monday|tuesday|wednesday|thursday|friday|saturday"
                          r"|sunday|weekend))\b")
LONG_AGO_YEARS = 5
DAYS = {"day", "days", "week", "weeks", "month", "months"}
ONE_DAY = {"first", "1st", "same", "that"}
# temperature readings: "temp 38.2", "100.8 f", "39°"
READING = re.compile(r"(?<![\d.,])(\d{2,3}(?:[.,]\d{1,2})?)\s*"
                     r"(°\s*[cf]?|º\s*[cf]?|degrees?(?:\s*[cf])?|deg|c|f)?(?![\d])")
TEMPERATURE_WORDS = re.compile(r"\b(temp|temps|temperature|temprature|tempreture|fever|feverish|thermometer|bukhar"
                               r"|degrees?|reading)\b|°")  # whole words: "40 injections in my temples" is no reading
SERIOUS_SITES = {"lip", "eye", "throat", "tongue", "mouth"}
HEAT_CONTEXT = {"sunburn", "sunburnt", "sunburned",  # "feels warm like a sunburn" is the expected course
                "weather", "sun", "shower", "sauna", "bath", "yoga", "outside", "climate", "summer",
                "drink", "tea", "coffee", "food", "water", "compress", "towel", "pack", "car", "room",
                "gym", "steam", "pool", "ice", "ac", "wax"}  # "was the wax too hot?"
SPREAD_CONTEXT = {"cream", "lotion", "sunscreen", "moisturiser", "moisturizer", "serum", "gel",
                  "ointment", "session", "payment", "cost", "instalment", "word", "treatment",
                  "peel", "flake"}  # the peeling spreading after a peel is the peel working
SENTENCE_END = {".", "!", "?", "\n"}
# A story typed with no full stop or comma is one long sentence: its context checks read the words within
# SENTENCE_REACH of the sign (what a written sentence around it would hold), once the sentence is longer than that
# window (:func:`_scope`)
SENTENCE_REACH = 12
RUN_ON = 2 * SENTENCE_REACH
# an off-topic word counts within this many words of the sign ("tooth infection", "nail glue on my lashes i lost my
# sight" keeps the sight)
OFF_TOPIC_REACH = 5
# unknown words are corrected in the first this many characters only (a 20,000-character paste of
# odd words would cost a search each: the fuzz bench's "huge" messages)
CORRECTED_CHARS = 1000
# nouns after "hot" that are not a hot thing ("hot today", "hot to the touch")
NOT_A_HOT_THING = {"touch", "today", "tonight", "now", "morning", "evening", "night", "yesterday",
                   "day", "since", "area", "skin", "spot", "face", "cheek"}
# a sign in these clauses is about something else ("ear infection", "leaking tap")
OFF_TOPIC = {"tooth", "teeth", "toothache", "urine", "urinary", "bladder", "nail", "tap", "pipe",
             "faucet", "roof", "sink", "fungal", "kidney", "stomach"}
NOT_A_COLOUR_CHANGE = {"stretch", "striae", "old", "birthmark", "vitiligo", "hair", "teeth", "cream",
                       "naturally", "genetic", "genetically"}  # "my lips are naturally dark"
CHANGE_VERBS = {"turn", "go", "become", "change", "get"}
INFLAMMATION = {"red", "redness", "swell", "puffy", "pain", "painful", "sore", "hurt", "throbbing"}
LUMP_WORDS = {"lump", "bump"}
# pain during the treatment is expected; these words put it after
TREATING_VERBS = {"inject", "injecting", "injected", "do", "doing", "did", "needle", "needling", "work", "working",
                  "apply", "applied", "applying"}
AFTER_WORDS = {"after", "afterwards", "since", "still", "now", "today", "tonight", "yesterday", "later", "day",
               "days", "morning", "night", "home", "week"}
# "bigger than yesterday" is a warning sign when the message names a symptom that grows
GROWTH_WORDS = {"bigger", "larger", "redder", "hotter", "harder", "puffy", "swell"}
SYMPTOM_WORDS = {"swell", "puffy", "lump", "bump", "red", "redness", "pain", "painful", "sore", "hard", "hot", "hurt",
                 "knot", "tender"}
# a yes/no "normal?" question about a mild sign that lasts only hours or a day: the expected course
BRIEF_NORMAL_QUESTION = re.compile(
    r"\b(is (it|this|that)( \w+)? normal|normal (to|for|after)|is that ok|is it ok)\b.*\b(for (a )?(few|couple( of)?"
    r"|an?|one|1|2|two) (hours?|hrs?|minutes?|mins?)|first (day|night|24|48|few hours)|same day|right after"
    r"|straight after|the day after|after the session|afterwards)\b")
# ... the same question about a swelling, redness or warmth in the first day or two, the question and the time in
# either order and in the sign's sentence or the next: "face swollen the day after treatment, is it ok?", "had my
# first prp session today ... my face is puffy. is that expected?"
NORMAL_ASK = re.compile(r"\b(is (it|this|that|these|they)( \w+){0,2} (normal|ok|okay|fine|expected|common|usual)"
                        r"|(are|r) (these|they|those)( \w+)? (normal|ok|okay|expected)|normal (to|for|after)"
                        r"|(normal|ok|okay|expected)( na| right| no)? \?)")
EARLY = re.compile(r"\b(for (a )?(few|couple( of)?|an?|one|1|2|two) (hours?|hrs?|minutes?|mins?)|first (day|night|24|48"
                   r"|few hours|session)|same day|right after|straight after|(the |next )?day after|next (day|morning)"
                   r"|after (the|my) (session|treatment|procedure|injections?|appointment)|afterwards|day (1|one|2|two)"
                   r"|(1|one|2|two) days? (after|later)|(24|48) (hours?|hrs?)|(session|treatment|procedure|appointment)"
                   r" (was )?(today|yesterday)|(did|had|got|done) (\w+ ){0,3}(today|yesterday)|this morning|woke up)\b")
EARLY_COURSE_LABELS = ("allergic.swelling", "infection.redness")
# ... unless the message names an allergy or a swelling more than mild ("swollen shut", "itchy")
EARLY_ALLERGY = {"itch", "itchy", "itching", "hive", "rash", "throat", "tongue", "breathe", "swallow", "wheeze",
                 "shut", "closed", "close", "hot", "hard", "severe", "huge", "massive", "double", "tingle", "numb",
                 "spread", "white", "blue", "grey", "black", "mottled", "cold"}
INTENSE = re.compile(r"\b((this|that|so) much|so (bad|badly|swollen|hot|red|big)|extremely|very|really|huge|massive"
                     r"|unbearable|worse|spreading)\b")
COLOUR_WORDS = {"white", "grey", "blue", "purple", "black", "mottled"}
# where a colour change is told: a clause naming none of these after a bruise is about the bruise
COLOUR_SITES = {"lip", "eye", "face", "cheek", "throat", "tongue", "mouth", "nose", "forehead", "chin", "jaw", "temple",
                "skin", "area", "patch", "tip", "finger", "fingers", "site", "spot", "point"}
# a swelling said to be easing: its reach is no spreading
EASING = {"less", "fade", "fading", "better", "settle", "settling", "shrink", "shrinking", "reduce", "improve"}
# a hoarse or muffled voice counts with a swelling or an allergy in the message
SWELLING_OR_ALLERGY = {"swell", "puffy", "throat", "tongue", "lip", "allergic", "anaphylaxis", "hive", "rash", "itch",
                       "itchy", "breathe", "swallow", "wheeze"}
# numbing cream blanches the skin for a while (its vasoconstriction): pale that goes back to normal passes
NUMBING_CREAM = {"numbing", "cream", "emla", "anaesthetic", "anesthetic", "lidocaine"}
# a mouth hard to open because peeling skin is dry and tight is the peel's course, not a locked jaw
EFFORT_WORDS = {"struggle", "hard", "difficult", "difficulty", "trouble", "problem"}
DRY_SKIN = {"dry", "dryness", "peel", "peeling", "flake", "flaky", "crack", "cracked", "craggly"}


# diagnostic words the writer may only be guessing at: "could this be an infection?"
GUESSABLE = frozenset({"infection.infected", "allergic.reaction"})
# ... only the diagnosis itself is a guess: "what are these white heads on every injection point?" describes them
DIAGNOSES = frozenset({"infect", "allergic", "anaphylaxis", "reaction", "react", "reacting", "response", "attack"})
# a question about what to do "if" a sign comes, told as happening: "what do i do if i cant breathe? its happening now"
HAPPENING_NOW = re.compile(r"\b(it'?s|it is|its|this is|that'?s|that is) happening( to me)?( (right )?now)?\b"
                           r"|\bhappening (to me )?(right )?now\b"
                           r"|\bi (have|feel|am having) (it|this|that) (right )?now\b")
# Milder signs that a message may say went away ("slight dizziness, but by the next day I was
# fine"). A worsening is never "resolved". Emergencies, pus, fever, colour change, tissue damage,
# lumps, rashes and weakness still reach a nurse however the message ends.
RESOLVABLE = ("systemic.dizzy", "numbness.", "swelling.", "allergic.swelling", "pain.", "infection.heat",
              "infection.inflamed", "infection.redness")
# symptom words by family: a resolution after a different symptom is about that one
# ("my lips are swollen and the bruise went away" keeps the swelling)
SYMPTOM_FAMILY = {
    "swell": "swell", "puffy": "swell", "puffiness": "swell", "big": "swell", "bigger": "swell",
    "pain": "pain", "painful": "pain", "hurt": "pain", "ache": "pain", "sore": "pain", "soreness": "pain",
    "throbbing": "pain", "tender": "pain", "tenderness": "pain", "headache": "pain",
    "hot": "heat", "heat": "heat", "warm": "heat", "warmth": "heat", "burn": "heat", "burning": "heat",
    "sting": "heat", "stinging": "heat",
    "red": "red", "redness": "red", "flush": "red",
    "numb": "numb", "tingle": "numb",
    "dizzy": "dizzy", "faint": "dizzy", "lightheaded": "dizzy", "nausea": "dizzy", "sick": "dizzy",
    "bruise": "bruise", "lump": "lump", "bump": "lump", "rash": "rash", "hive": "rash", "itch": "rash",
    "peel": "peel", "flake": "peel", "blood": "blood", "bleed": "blood",
}
# what makes a lump more than a small firm bit of filler
LUMP_TROUBLE = {"painful", "pain", "hurt", "drain", "draining", "pus", "ooze", "leak", "hot", "grow", "growing",
                "bigger", "larger", "big", "large", "huge", "red", "tender", "sore", "angry", "inflamed"}
# under-eye treatments, and what makes puffy under-eyes after them an allergy instead
UNDER_EYE_TREATMENTS = {"prp", "filler", "fillers", "inject", "injection", "trough", "meso", "mesotherapy",
                        "microneedling", "needling", "booster", "plasma"}
UNDER_EYE_ALLERGY = {"itch", "itchy", "itching", "hive", "rash", "throat", "tongue", "breathe", "swallow", "wheeze",
                     "lip", "face", "cheek", "body", "shut", "close", "closed"}
# swelling that comes back, and the time cues that make it late
RETURN_WORDS = {"again", "back", "return", "returned", "recur", "reappear"}
LATE_KEYS = {"week", "weeks", "month", "months", "year", "years", "nowhere", "suddenly"}
# a small mark at a needle point is a bruise, not a colour change: "one pin prick looking slightly purplish"
POINT_WORDS = {"prick", "pinprick", "dot", "dots", "point", "points", "puncture", "punctures", "needle"}
# pinpoint bleeding at the needle points is the expected course (not "the skin is bleeding a lot")
BLEEDING_PLACES = {"spot", "spots", "point", "points", "area", "skin"}
PINPOINT = {"few", "pin", "pinpoint", "tiny", "drop", "drops", "dot", "dots", "speck", "specks", "spotting"}
# "this is usually the worst day", "worse than I thought", "my melasma is worse": not a worsening sign
HABITUAL = {"usually", "normally", "typically", "always", "generally"}
RESULT_WORDS = {"scar", "scars", "acne", "age", "melasma", "pigmentation", "hyperpigmentation", "wrinkle", "wrinkles",
                "line", "lines", "pore",
                "pores", "result", "results", "texture", "condition", "tone",
                "vein"}  # "the veins look worse" after sclerotherapy: the treated veins, before they fade
BELIEF_VERBS = {"think", "thought", "expect", "expected", "imagine", "imagined", "realise", "realised", "realize",
                "realized", "assume", "assumed"}
# treatment words that say the lips were filled, anywhere in the message
LIP_FILLERS = {"filler", "fillers", "juvederm", "volbella", "restylane", "teosyal", "syringe", "augmentation"}


@dataclass(frozen=True)
class Finding:
    """One warning sign found in a message."""

    label: str
    start: int
    end: int

    @property
    def category(self) -> str:
        return self.label.split(".", 1)[0]


@dataclass
class TriageResult:
    """The verdict on one message: urgent or not, which categories, emergency or not."""

    urgent: bool
    categories: List[str] = field(default_factory=list)
    emergency: bool = False
    signs: List[str] = field(default_factory=list)

    language: str = "en"
    learned: bool = False  # flagged by the learned signal, not by a rule

    def as_dict(self) -> Dict[str, object]:
        """What the NLU component stores in the message under ``triage``.

        ``language`` is added for Arabic and Arabizi messages (``"ar"``) so the reply can
        be in Arabic.
        """
        out: Dict[str, object] = {"urgent": self.urgent, "categories": self.categories,
                                  "emergency": self.emergency}
        if self.language != "en":
            out["language"] = self.language
        return out


class Triage:
    """Deterministic warning-sign patterns with clause-scoped negation."""

    def __init__(self, vocab: Vocab) -> None:
        self.matcher = Matcher(vocab)
        self._rules = {rule.label: rule for rule in P.RULES}
        for rule in P.RULES:
            self.matcher.add(rule.label, [P.compile_pattern(p) for p in rule.patterns])

    def assess(self, doc: Doc) -> TriageResult:
        """Find the warning signs that ``doc`` describes (not denied, not hypothetical)."""
        if len(doc) == 0:
            return TriageResult(urgent=False)
        keys: List[str] = []
        texts: List[str] = []
        conj: List[bool] = []
        tokens: List[Token] = []  # the Doc token behind each key
        knows_words = len(doc.vocab.vectors) > 0  # without vectors every word would look unknown
        for t in doc:
            parts = split_contraction(t.lower_)  # "can`t" -> "can", "not"
            unknown = knows_words and t.is_oov and t.idx < CORRECTED_CHARS
            own_key, written = read_word(t.lower_, t.lemma_, unknown=unknown)
            for key in parts or (own_key or "_",):
                keys.append(key)
                texts.append(key if parts else (written if t.text.strip() else "\n"))
                conj.append(not parts and t.lower_ == "so" and t.pos_ in ("CCONJ", "SCONJ"))
                tokens.append(t)
        keyed = Doc(doc.vocab, words=keys, spaces=[True] * len(keys))
        clauses = clause_ids(keys, texts, conj)
        small = clause_ids(keys, texts, conj, weak=True)
        sentences = _sentence_starts(texts)
        message = " ".join(texts)
        told = spell_out(doc.text)  # the whole message with chat shorthand spelt out: "lips r swollen since a wk"
        found: List[Finding] = []
        for match_id, start, end in self.matcher(keyed):
            label = doc.vocab.strings[match_id]
            rule = self._rules[label]
            if clauses[start] != clauses[end - 1] and not rule.cross_clause:
                continue  # the pattern's gap crossed a clause boundary
            if sentences[start] != sentences[end - 1]:
                continue
            if is_negated(keys, small, start, end, rule.negation_inside):
                continue
            first, last = _scope(sentences, texts, start, end)
            before = " ".join(texts[first:end])
            sentence = " ".join(texts[first:last])
            clause = " ".join(texts[i] for i in range(first, last) if clauses[i] == clauses[start])
            late = _late_reaction(texts, sentences, start, message)
            if is_hypothetical(before, sentence, clause, late) and not HAPPENING_NOW.search(told.lower()):
                continue  # (unless told as happening: "what do i do if i cant breathe? its happening now")
            if REMEMBERED.search(sentence) and not (RECENT.search(sentence) or STORY_RECENT.search(sentence)
                                                    or TREATMENT_TIME.search(sentence)):
                continue  # "I remember what it is like to be unable to breathe": a memory (not of a treatment)
            if label.startswith("allergic.") and _allergy_trait_question(sentence, message):
                continue  # "i get hives from shellfish, can i do it": a known allergy, asked about ahead
            if is_figure_of_speech(clause):
                continue  # "i almost fainted when i saw the price", "the wait is killing me"
            if label.startswith(RESOLVABLE) and BRIEF_NORMAL_QUESTION.search(sentence) and "?" in sentence \
                    and not INTENSE.search(sentence):
                continue  # "is it normal for the face to be hot for a few hours after the session?"
            if label in EARLY_COURSE_LABELS and _early_course_question(texts, sentences, start) \
                    and not set(keys) & EARLY_ALLERGY:
                continue  # "face swollen the day after treatment, is it ok?"
            past = _told_in_past(tokens, start, end)
            if is_history_question(sentence, clause, message, past):
                continue  # "i fainted once when they took my blood, can i still do the prp?"
            earlier = " ".join(texts[max(0, first - 2 * SENTENCE_REACH) if first > sentences[start]
                                     else _previous_start(sentences, sentences[start], 2):first])
            if is_secondhand(" ".join(texts[sentences[start]:end]), sentence, earlier):
                continue  # "I saw on TV that ... She ... her eye started to become very swollen"
            if label in ("systemic.faint", "systemic.dizzy") and (_told_as_trait(past, sentence, earlier)
                                                                  or _feared_again(past, sentence, message)):
                continue  # "I can just pass out if I have pain", "when I was about 12 ... I passed out"
            told_past = past or (label in YEAR_STORY and bool(PAST_VERB.search(" ".join(texts[sentences[start]:end]))))
            if _story_long_ago(label, told_past, sentence, " ".join(texts[:first])):
                continue  # "my last flu shot was in 2008. I fainted ... they called an ambulance"
            if label in GUESSABLE and set(keys[start:end]) & DIAGNOSES \
                    and is_guess(" ".join(texts[first:start])):
                continue  # "could this be an infection?": the writer's guess, not a finding
            if not self._context_allows(label, tokens, told, keys, small, start, end):
                continue
            # "made me feel a bit faint when they took my blood ... I was fine after a juice"
            near_faint = label == "systemic.faint" and "feel" in keys[start:end] and \
                bool({k for k, c in zip(keys, small, strict=True) if c == small[start]} & MILD)
            if _resolved_later("systemic.dizzy" if near_faint else label, keys, texts, sentences, start, end):
                continue
            found.append(Finding(label, start, end))
        found.extend(_lip_colour(found, keys, sentences))
        if not _vaccine_course(told):  # a reading after a vaccine is its usual course, like the word
            found.extend(_readings(told))
        found.extend(_course(told))
        found.extend(_cant_see_alone(told))
        language = "en"
        if arabic.is_arabic(doc.text):
            language = "ar"
            found.extend(Finding(f.label, 0, 0) for f in arabic.find_signs(doc.text))
        return _verdict(found, language)

    @staticmethod
    def _context_allows(label: str, tokens: List[Token], text: str, keys: List[str], clauses: List[int],
                        start: int, end: int) -> bool:
        """Rules that need more than the words of the match itself."""
        clause = {k for k, c in zip(keys, clauses, strict=True) if c == clauses[start]}
        span = set(keys[start:end])
        near = {keys[i] for i in range(max(0, start - OFF_TOPIC_REACH), min(len(keys), end + OFF_TOPIC_REACH))
                if clauses[i] == clauses[start]}
        if near & OFF_TOPIC or (label == "infection.infected" and "ear" in near):
            return False
        if label == "swelling.massive" and "double" in span and _lip_filler_swelling(keys, clause, span | {"lip"}):
            return False  # lips that doubled the day after lip filler: the usual course (not tripled, not to the nose)
        if label in ("allergic.swelling", "swelling.severe") and (_lip_filler_swelling(keys, clause, span)
                                                                   or _treated_under_eye(keys)):
            return False
        if label.startswith("allergic.airway") and _through_nose(keys, end):
            return False  # "i can't breathe through my nose normally": a blocked nose, not the airway
        if label == "weakness.general":  # the whole body weak after a toxin, not after the flu or the gym
            lowered = text.lower()
            return bool(TREATMENT_TIME.search(lowered)) and not ASKS_AHEAD.search(lowered) \
                and not (clause | set(keys)) & EXERCISE and not _vaccine_course(text)
        if label == "weakness.limb":
            vaccine_arm = _vaccine_course(text) and bool(set(keys) & ARM_SITES) and not set(keys) & FACE_SITES
            return not (clause | set(keys)) & EXERCISE and not vaccine_arm  # "weak legs after the gym"
        if label in ("allergic.swelling", "swelling.severe") and not span & AIRWAY_SITES \
                and _everyday_swelling(keys, clause, start):
            return False  # "my face is swollen from crying lol", "puffy eyes in the morning always"
        if label == "allergic.swelling" and span & PUFFY_WORDS and _puffy_morning_after(keys, text, start):
            return False  # "woke up with puffy face after treatment yesterday": the usual course
        if label == "allergic.swelling" and "feel" in clause and span & FEELS_BIG and not span & AIRWAY_SITES \
                and (clause | set(keys)) & NUMB_WORDS and set(keys) & NUMBING:
            return False  # "my face feels tingly and huge" after the dentist: the numbness, not a swelling
        if label == "allergic.swelling":
            return bool(span & AIRWAY_SITES) or not (clause & MILD)
        if label == "systemic.cyanosis":
            return "bruise" not in clause and "vein" not in clause and "lipstick" not in clause
        if label.startswith("numbness.") and set(keys) & NUMBING and not set(keys) & DAYS:
            return False  # the numbing cream wearing off
        if label == "allergic.anaphylaxis" and "for" in keys[max(0, start - 2):start] \
                and set(keys) & {"carry", "prescribe", "prescribed", "keep"}:
            return False  # "i carry an epipen for anaphylaxis": a precaution, not a reaction
        if label == "allergic.voice" and not set(keys) & SWELLING_OR_ALLERGY:
            return False  # a hoarse voice alone (a cold) is no swelling throat
        if label == "vascular.colour" and span & COLOUR_WORDS == {"white"} and set(keys) & NUMBING_CREAM \
                and not set(keys) & (INFLAMMATION | {"cold", "cool", "icy", "sting", "burn", "burning"}) \
                and is_resolved(text.lower()):
            return False  # "the numbing cream made my face go a bit pale, but it went back to normal"
        if label == "tissue_damage.blister" and keys[end - 1] == "bleed" and keys[start] in BLEEDING_PLACES \
                and (clause & (MILD | POINT_WORDS | PINPOINT) or is_resolved(" ".join(keys[end:]))):
            return False  # "a few pin prick spots bled after the meso, they stopped": pinpoint bleeding
        if label == "weakness.cant_open" and keys[start] in EFFORT_WORDS and (clause | set(keys)) & DRY_SKIN:
            return False  # "skin is so dry that it is hard to open my mouth all the way" after a peel
        if label == "systemic.stroke" and set(keys) & DENTAL:
            return False  # slurring while the lip is still numb from the dentist (not the numbing cream)
        vaccine = _vaccine_course(text)
        if label == "infection.fever" and vaccine:
            return False  # "chills for about 24 hours after my booster": the vaccine's usual course
        beyond_arm = {k for i, k in enumerate(keys)
                      if k in NOT_ARM and not (k == "body" and keys[i + 1:i + 2] == ["ache"])}
        if label in ARM_MARK_LABELS and vaccine and set(keys) & ARM_SITES \
                and not (beyond_arm or set(keys) & FACE_SITES) \
                and not span & {"hive", "spread"} and not (clause | span) & INTENSE_HEAT:
            return False  # "the later-arriving hot, red spot on my arm" after a Covid shot: its usual course
        if label.startswith("pain.") and vaccine and set(keys) & ARM_SITES and not set(keys) & FACE_SITES:
            return False  # "my shoulder hurt a lot after the flu shot": a sore arm
        if label == "systemic.dizzy" and clause & MILD and BUT_FINE.search(" ".join(keys[start:])
                                                                              .split(".")[0]):
            return False  # "slightly light-headed because of the adrenaline rush, but fine"
        if label == "vascular.colour":
            if span == {"mottled"} and tokens[start].lower_.startswith("blotch") \
                    and {"red", "redness"} & set(keys[max(0, start - 4):end + 3]):
                return False  # "red and blotchy" after a peel: the usual redness, not a mottled net
            if clause & MILD and clause & POINT_WORDS:
                return False  # "one pin prick looking slightly purplish": a small bruise at a needle point
            if "bruise" in clause:
                return bool(span & {"mottled", "cold", "cool", "icy"})  # "bruise looks blue black"
            if not clause & COLOUR_SITES and _bruise_just_before(keys, start):
                return bool(span & {"black", "mottled", "cold", "cool", "icy"})  # "... bruising. mine is blue now"
            exempt = span & {"black", "mottled", "cold", "cool", "icy"}
            if clause & LUMP_WORDS and span & COLOUR_WORDS == {"blue"} and not set(keys) & INFLAMMATION:
                return False  # a painless bluish lump of filler under thin skin (Tyndall effect)
            if span & {"cold", "cool", "icy"} and clause & HEAT_CONTEXT:
                return False
            if clause & NOT_A_COLOUR_CHANGE and not span & CHANGE_VERBS:
                return False  # "white stretch marks", "old white scars"
            return bool(exempt) or "bruise" not in clause
        if label == "infection.inflamed":
            nxt = tokens[end] if end < len(tokens) else None
            noun_follows = (nxt is not None and nxt.pos_ in ("NOUN", "PROPN")
                            and keys[end] not in NOT_A_HOT_THING)
            # "it wasn't painful, more like heat and tightness": a denied sign is no inflammation
            inflamed = any(k in INFLAMMATION and not is_negated(keys, clauses, i, i + 1, False)
                           for i, k in enumerate(keys))
            return not noun_follows and not (clause & HEAT_CONTEXT) and inflamed
        if label == "infection.heat":
            nxt = tokens[end] if end < len(tokens) else None
            noun_follows = (nxt is not None and nxt.pos_ in ("NOUN", "PROPN")
                            and keys[end] not in NOT_A_HOT_THING
                            and "like" not in span)  # "felt like it sat on a hot stove": a simile of the heat
            mild_warmth = "warm" in span and bool(clause & MILD)
            # the clause where the heat word is: "red and feels warm like a sunburn"
            heat_clause = clause | {k for k, c in zip(keys, clauses, strict=True) if c == clauses[end - 1]}
            return not noun_follows and not mild_warmth and not (heat_clause & HEAT_CONTEXT)
        if label == "worsening.spread" and "extend" in span and (clause & MILD or set(keys) & EASING):
            return False  # "the swelling extends slightly to my chin but much less than yesterday"
        if label == "worsening.spread":
            next_key = keys[end] if end < len(keys) else ""
            return next_key not in ("out", "over", "on", "evenly") and not (clause & SPREAD_CONTEXT)
        if label.startswith("worsening.") or label == "pain.later":
            if "before" in keys[end:end + 3] and set(keys[end:end + 6]) & {"better", "well"}:
                return False  # "my skin looked worse before it got better": the expected course
            if keys[end:end + 1] in (["to"], ["if"]):
                return False  # "is it worse to get meso in summer?": choosing, not a symptom
            if "than" in span and span & GROWTH_WORDS and not set(keys) & SYMPTOM_WORDS:
                return False  # "my lips look bigger than yesterday": a result, unless a symptom is named
            if clause & HABITUAL:
                return False  # "day 3 is usually the worst day for me": the expected course
            after = keys[end:end + 6]
            if "than" in after and set(after) & BELIEF_VERBS:
                return False  # "my skin was in worse condition than I thought"
            if set(keys) & RESULT_WORDS and not set(keys) & INFLAMMATION:
                return False  # "my melasma is worse": a result, not a warning sign
        if label in ("lump.growing", "lump.hard_painful") and keys[end - 1] in ("bigger", "larger") \
                and "side" in keys[max(start, end - 4):end]:
            return False  # "a bit lumpy and one side looks bigger": asymmetry while it settles, not growth
        if label == "lump.growing" and keys[end - 1] in ("bigger", "larger", "big", "large") \
                and end < len(keys) and keys[end] == "than" \
                and not set(keys[end + 1:end + 4]) & {"yesterday", "before", "earlier", "ever", "morning", "last"}:
            return False  # "one lip is larger than the others": asymmetry, not growth
        if label.startswith("pain.") and _during_treatment(keys, start):
            return False  # "it was so much pain while she injected near my nose": the treatment itself
        if label == "pain.throbbing" and clause & (MILD | {"kind", "sort", "some"}):
            return False  # "kind of like my lips were throbbing", "some of the sites are throbbing"
        if label == "weakness.droop" and keys[end - 1] == "drop" and tokens[end - 1].lower_ in ("drop", "drops"):
            return False  # "my eye drops", "one eye drop a day": the medicine, not an eyelid that dropped
        if label in P.NEEDS_CHANGE and "droopy" in span:
            return bool(set(keys) & P.CHANGE_KEYS)  # "I have droopy eyelids, can it help?"
        if label == "swelling.late":
            return not set(keys[start:end + 4]) & P.SETTLING_KEYS
        if label == "systemic.faint" and keys[end - 1] == "faint" and keys[start] in ("then", "i") \
                and (set(keys[max(0, start - 4):start]) & FADING_MARKS
                     or (end < len(tokens) and tokens[end].pos_ in ("NOUN", "PROPN"))):
            return False  # "the dots were red then faint by day 3": a mark fading, not a faint
        if label == "systemic.other" and end < len(keys) and keys[end] == "of":
            return False  # "so sick of these lines"
        if label == "swelling.returned":
            return bool(set(keys) & LATE_KEYS)  # "again" on day 2 is the usual morning swelling
        if label == "lump.hard_painful" and not span & LUMP_TROUBLE \
                and clause & MILD and not set(keys) & (INFLAMMATION | LUMP_TROUBLE):
            return False  # "a small firm bit under the skin right after filler"
        if label == "lump.hard_painful" and span & LUMP_TROUBLE <= {"red"} and clause & MILD:
            return False  # "just small red bumps": the usual bumps at the needle points
        if label in P.NEEDS_PERSISTENCE:  # "the first day" or "that day" is no persistence
            lasting = {k for i, k in enumerate(keys) if not (k == "day" and i and keys[i - 1] in ONE_DAY)}
            return bool(lasting & P.PERSISTENCE_KEYS) or bool(re.search(r"\d", text))
        return True


def _scope(sentences: List[int], texts: List[str], start: int, end: int) -> Tuple[int, int]:
    """The tokens ``first:last`` that are the sign's sentence when its context is read: the sentence itself, or in a
    sentence of more than :data:`RUN_ON` tokens with no comma or other clause mark inside (a long story typed with
    no full stop) the part within :data:`SENTENCE_REACH` tokens of the sign, so that a "was told it was normal" or a
    time phrase far from the sign is not its context ("... previously i had been sitting", "... since then
    everythings been perfect"). Written sentences, however long, are read whole: their commas scope the clauses."""
    first = sentences[start]
    last = next((i for i in range(end, len(sentences)) if sentences[i] != first), len(sentences))
    if last - first <= RUN_ON or any(texts[i] in CLAUSE_PUNCT for i in range(first, last - 1)):
        return first, last
    return max(first, start - SENTENCE_REACH), min(last, end + SENTENCE_REACH)


def _bruise_just_before(keys: List[str], start: int) -> bool:
    """Whether a bruise is named earlier in the sign's sentence or in the sentence before it
    ("bruising can go from blue to green to yellow. mine is blue right now")."""
    ends = [i for i, k in enumerate(keys[:start]) if k in SENTENCE_END]
    first = ends[-2] + 1 if len(ends) >= 2 else 0
    return "bruise" in keys[first:start]


def _vaccine_course(text: str) -> bool:
    """Whether fever, a reading or a sore arm in ``text`` is a vaccine's usual course: a vaccine
    is named and none of this clinic's treatments is ("flu shot on tuesday, meso yesterday,
    now 38.5" stays a warning sign)."""
    lowered = text.lower()
    return bool(VACCINE.search(lowered)) and not CLINIC_TREATMENT.search(lowered)


PAST_FAINT = {"passed", "fainted", "blacked", "collapsed", "fell", "lost", "keeled", "went"}


def _told_in_past(tokens: List[Token], start: int, end: int) -> bool:
    """Whether the words of a sign (and the two before it) are in the past tense: "went out cold"."""
    near = tokens[max(0, start - 2):end]
    return any(t.tag_ == "VBD" or t.lower_ in PAST_FAINT for t in near)


def _told_as_trait(past: bool, sentence: str, earlier: str) -> bool:
    """Whether a faint is told as the writer's trait or a childhood story rather than a report.

    A trait is a present-tense faint tied to what sets it off ("I can just pass out if I have pain",
    "a condition that makes her pass out when she experiences pain"); a childhood story is set
    "when I was about 12" or "in 2008" in its sentence or the two before. Either gives way to a
    recent cue ("today", "now", "last night").
    """
    if RECENT.search(sentence):
        return False
    if HABIT.search(sentence) and not past:
        return True
    if past and HISTORY.search(sentence) and not STORY_RECENT.search(sentence) and not AFTER_TREATMENT.search(sentence):
        return True  # "my sister fainted at the dentist once, will she be ok"
    return bool(CHILDHOOD.search(earlier + " " + sentence))


def _feared_again(past: bool, sentence: str, message: str) -> bool:
    """Whether a faint told in the past is one the writer fears having again ("I've fainted in the dentist chair. I
    really don't want that to happen again"), with nothing recent or after a treatment in its sentence."""
    told = message.replace("’", "'").replace(" n't", "n't")  # the keys' "do n't"
    # an experience ("I've fainted", "I have fainted") or history in the message, not "just fainted ... scared it
    # will happen again"
    experienced = bool(re.search(r"(\b(i|she|he) ?'?ve|\bhave|\bhas)\b", sentence.replace("’", "'"))
                       or HISTORY.search(told))
    own = FEAR_AGAIN.sub(" ", sentence.replace("’", "'").replace(" n't", "n't"))  # the fear's "again" is no cue
    recent = RECENT.search(own) or STORY_RECENT.search(own) or AFTER_TREATMENT.search(own) or JUST_NOW.search(own)
    return past and experienced and bool(FEAR_AGAIN.search(told)) and not recent


def _early_course_question(texts: List[str], sentences: List[int], start: int) -> bool:
    """Whether the sign's sentence (with the next one) asks if a sign of the first day or two is normal."""
    first = sentences[start]
    following = [s for s in sorted(set(sentences)) if s > first][:1]
    window = " ".join(t for t, s in zip(texts, sentences, strict=True) if s == first or s in following)
    ask = NORMAL_ASK.search(window)
    asked = ask is not None and ("?" in window or ask.group(0).startswith(("is ", "are ", "r ")))  # "is it ok" unmarked
    return asked and bool(EARLY.search(window)) and not INTENSE.search(window)


def _story_long_ago(label: str, past: bool, sentence: str, before: str) -> bool:
    """Whether a sign told in the past belongs to a story the message sets long ago (in its sentence or
    any before it): in childhood or youth, or (a faint, an ambulance) in a year at least
    :data:`LONG_AGO_YEARS` back."""
    if not past or RECENT.search(sentence) or STORY_RECENT.search(sentence):
        return False
    this_year = date.today().year
    for match in STORY_SET_LONG_AGO.finditer(before + " " + sentence):
        year = match.group(5)
        if year is None or (label in YEAR_STORY and int(year) <= this_year - LONG_AGO_YEARS):
            return True
    return False


def _late_reaction(texts: List[str], sentences: List[int], start: int, message: str) -> bool:
    """Whether a sign told in the past comes after a treatment the message dates long before it, in an
    earlier sentence ("In 2019 I had lip filler. Last month my lip swelled up"), and nothing asks about a
    treatment to come ("... can I still do the session?" keeps the sign as history)."""
    if ASKS_AHEAD.search(message):
        return False
    earlier = " ".join(t for t, s in zip(texts, sentences, strict=True) if s < sentences[start])
    dated = re.search(r"\b(in (19|20)\d\d|(\w+ )?years? ago|last year|years? back)\b", earlier)
    return bool(dated and TREATMENT_TIME.search(earlier))


def _allergy_trait_question(sentence: str, message: str) -> bool:
    """A known allergy to something other than a treatment, told in the present as a trait, with a question
    about a treatment to come: "i get hives from shellfish, can i do it"."""
    trait = ALLERGY_TRAIT.search(sentence)
    if trait is None or not ASKS_AHEAD.search(message):
        return False
    return not (TREATMENT_TIME.search(trait.group("trigger")) or RECENT.search(sentence)
                or STORY_RECENT.search(sentence) or AFTER_TREATMENT.search(sentence))


def _through_nose(keys: List[str], end: int) -> bool:
    """Whether breathing is said to be blocked through the nose only ("can't breathe through my nose")."""
    after = keys[end:end + 5]
    return "through" in after and bool(set(after) & {"nose", "nostril", "nostrils", "nasal"}) \
        and not set(keys[end:end + 8]) & {"mouth", "throat", "tongue"}


def _sentence_keys(keys: List[str], start: int) -> List[str]:
    """The keys of the sentence around token ``start``."""
    first = max((i + 1 for i, k in enumerate(keys[:start]) if k in SENTENCE_END), default=0)
    last = next((i for i in range(start, len(keys)) if keys[i] in SENTENCE_END), len(keys))
    return keys[first:last]


def _everyday_swelling(keys: List[str], clause: set, start: int) -> bool:
    """A swelling from an everyday cause ("from crying") or told as a habit ("puffy eyes in the morning
    always"), with no treatment, time cue or other sign word in its sentence."""
    sentence = _sentence_keys(keys, start)
    cause = any(k in ("from", "because", "after") and set(sentence[i + 1:i + 3]) & EVERYDAY_CAUSES
                for i, k in enumerate(sentence))
    habit = bool(set(sentence) & HABIT_WORDS)
    if not (cause or habit):
        return False
    treated = bool(TREATMENT_TIME.search(" ".join(sentence)))
    changed = bool(set(sentence) & (P.CHANGE_KEYS - {"after"}))
    return cause or (habit and not treated and not changed and not set(sentence) & EARLY_ALLERGY)


def _puffy_morning_after(keys: List[str], text: str, start: int) -> bool:
    """Puffiness told on waking or the day after a treatment named in the message, nothing more."""
    lowered = text.lower()
    sentence = _sentence_keys(keys, start)
    return bool(EARLY.search(" ".join(sentence)) and TREATMENT_TIME.search(lowered)
                and not set(keys) & (EARLY_ALLERGY | LATE_KEYS | {"swell", "shut", "close"})
                and not INTENSE.search(lowered))


def _during_treatment(keys: List[str], start: int) -> bool:
    """Whether the sentence of a pain sign places it during the treatment and says nothing of after."""
    first = max((i + 1 for i, k in enumerate(keys[:start]) if k in (".", "!", "?")), default=0)
    last = next((i for i in range(start, len(keys)) if keys[i] in (".", "!", "?")), len(keys))
    sentence = keys[first:last]
    during = "during" in sentence or any(k in ("while", "as") and set(sentence[i + 1:i + 4]) & TREATING_VERBS
                                         for i, k in enumerate(sentence))
    return during and not set(sentence) & AFTER_WORDS


def _lip_filler_swelling(keys: List[str], clause: set, span: set) -> bool:
    """Swelling of lips that were just filled, with no sign of an allergy in the message."""
    site_words = {"lip", "eye", "face", "cheek", "throat", "tongue", "mouth"}
    sites = (span | clause) & site_words or set(keys) & site_words  # "they're super swollen"
    if sites != {"lip"} or set(keys) & ALLERGY_COMPANIONS:
        return False
    if set(keys) & RETURN_WORDS and set(keys) & LATE_KEYS:
        return False  # "three weeks after lip filler ... now my lip has swollen up again"
    if set(keys) & LIP_FILLERS:
        return True  # "Juvederm injected into my lips yesterday ... my lips are very swollen now"
    lips = [i for i, k in enumerate(keys) if k == "lip"]
    treated = [i for i, k in enumerate(keys) if k in LIP_TREATMENTS]
    return any(abs(i - j) <= 6 for i in lips for j in treated)


def _resolved_later(label: str, keys: List[str], texts: List[str], sentences: List[int],
                    start: int, end: int) -> bool:
    """Whether the message says a milder sign went away (in its sentence or the next one)."""
    if not label.startswith(RESOLVABLE) or label in P.EMERGENCY_LABELS:
        return False
    if label == "allergic.swelling" and set(keys[start:end]) & AIRWAY_SITES:
        return False
    own = sentences[start]
    rest = [i for i in range(end, len(texts)) if sentences[i] == own]
    nxt_start = (rest[-1] + 1) if rest else end
    nxt = [] if nxt_start >= len(texts) else \
        [i for i in range(nxt_start, len(texts)) if sentences[i] == sentences[nxt_start]]
    families = {SYMPTOM_FAMILY.get(k) for k in keys[start:end]} - {None}
    for window in (rest, nxt):
        if not window:
            continue
        text = " ".join(texts[i] for i in window)
        if not is_resolved(text):
            continue
        # a different symptom named in the clause that resolves: the resolution may be about that one
        # ("my lips are swollen and the bruise went away"; not "... took my blood, but after a drink I was fine")
        others = {SYMPTOM_FAMILY.get(keys[i]) for i in _resolving_clause(window, keys, texts)} - {None}
        if others and families and not others <= families:
            return False
        return True
    return False


def _resolving_clause(window: List[int], keys: List[str], texts: List[str]) -> List[int]:
    """The tokens of the clause in ``window`` that says the sign went away (all of it if none does alone)."""
    clauses: List[List[int]] = [[]]
    for i in window:
        if texts[i] in CLAUSE_PUNCT or keys[i] in STRONG_CLAUSE_WORDS or keys[i] in WEAK_CLAUSE_WORDS:
            clauses.append([])
        else:
            clauses[-1].append(i)
    for clause in clauses:
        if clause and is_resolved(" ".join(texts[i] for i in clause)):
            return clause
    return window


def _lip_colour(found: List[Finding], keys: List[str], sentences: List[int]) -> List[Finding]:
    """Blue or grey lips said over two sentences: "my lip felt big and swollen. It began to go white and grey"."""
    if any(f.label == "systemic.cyanosis" for f in found) or set(keys) & {"bruise", "vein", "lipstick", "liner"}:
        return []
    for f in found:
        if f.label != "vascular.colour" or not set(keys[f.start:f.end]) & {"blue", "grey"}:
            continue
        first = sentences[f.start]
        previous = sentences[first - 1] if first > 0 else first
        if "lip" in keys[previous:f.end]:
            return [Finding("systemic.cyanosis", f.start, f.end)]
    return []


def _treated_under_eye(keys: List[str]) -> bool:
    """Puffy under-eyes after a treatment there (PRP, tear trough filler), with no sign of an allergy."""
    under_eye = any(k == "under" and "eye" in keys[i + 1:i + 4] for i, k in enumerate(keys))
    return (under_eye and bool(set(keys) & UNDER_EYE_TREATMENTS)
            and not set(keys) & (UNDER_EYE_ALLERGY | {"again", "return", "week", "weeks", "month", "months"}))


def _previous_start(sentences: List[int], first: int, count: int) -> int:
    """The first token of the sentence ``count`` sentences before the one starting at ``first``."""
    starts = sorted({s for s in sentences if s < first})
    return starts[-count] if len(starts) >= count else (starts[0] if starts else first)


def _sentence_starts(texts: List[str]) -> List[int]:
    """For each token, the index of the first token of its sentence."""
    starts, current = [], 0
    for i, text in enumerate(texts):
        starts.append(current)
        if text in SENTENCE_END:
            current = i + 1
    return starts


def _readings(text: str) -> List[Finding]:
    """Fever from a temperature reading: 37.8-43 (°C) or 100-108 (°F) with a temperature word or unit."""
    low = text.lower()
    found: List[Finding] = []
    for match in READING.finditer(low):
        unit = (match.group(2) or "").replace(" ", "")
        sentence_start = max(low.rfind(c, 0, match.start()) for c in ".!?\n") + 1
        sentence_end = min([i for i in (low.find(c, match.end()) for c in ".!?\n") if i >= 0] or [len(low)])
        sentence = low[sentence_start:sentence_end]
        if not unit and not TEMPERATURE_WORDS.search(sentence):
            continue
        try:
            value = float(match.group(1).replace(",", "."))
        except ValueError:
            continue
        celsius = 37.8 <= value <= 43.0 and not unit.endswith("f")
        fahrenheit = 100.0 <= value <= 108.0 and not unit.endswith("c")
        if not (celsius or fahrenheit):
            continue
        if HYPOTHETICAL.search(low[sentence_start:match.start()]) or (
                PAST.search(sentence) and not PRESENT.search(sentence)):
            continue
        found.append(Finding("infection.fever", 0, 0))
        break
    return found


# "help i can't see", "i suddenly cant see!!": the whole sentence says it (a token pattern needs
# the word after "see": "can't see properly", not "can't see the link")
CANT_SEE_ALONE = re.compile(r"^\W*((help|omg|please|pls|doctor|dr|nurse|oh god)\W+)*(i\W+)?"
                            r"((suddenly|now|just|still)\W+)?(can'?t|cannot|can not|could ?n'?t|unable to) see"
                            r"( anything| a thing| any ?more)?"
                            r"(\W+(now|suddenly|anymore|help|please|pls))*\W*$")


def _cant_see_alone(text: str) -> List[Finding]:
    """An emergency told in as many words: a sentence that is only "I can't see"."""
    for sentence in re.split(r"[.!?\n]+", text.lower()):
        if sentence.strip() and CANT_SEE_ALONE.match(sentence.replace("’", "'")):
            return [Finding("systemic.cant_see", 0, 0)]
    return []


def _course(text: str) -> List[Finding]:
    """The course families (:mod:`clinic.triage.course`), unless the sentence is general or someone else's."""
    out: List[Finding] = []
    for label, sentence in course_signs(text):
        parts = [p.strip() for p in re.split(r"[,;:]", sentence)]
        if is_hypothetical(sentence, sentence) or any(OTHER_PERSON.search(p) for p in parts):
            continue  # "what if it's still swollen 5 days later?", "my friend's lips swelled up again"
        out.append(Finding(label, 0, 0))
    return out


def _verdict(found: List[Finding], language: str = "en") -> TriageResult:
    categories: List[str] = []
    for finding in sorted(found, key=lambda f: P.CATEGORIES.index(f.category)):
        if finding.category not in categories:
            categories.append(finding.category)
    return TriageResult(
        urgent=bool(found),
        categories=categories,
        emergency=any(f.label in P.EMERGENCY_LABELS or f.label in arabic.EMERGENCY for f in found),
        signs=sorted({f.label for f in found}),
        language=language,
    )
