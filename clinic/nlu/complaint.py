"""Whether a message is a complaint or strong feeling that a person should answer.

Issue 13 asks that complaints and strong emotion ("scam", "useless", refund demands,
repeated capitals) get an apology and the offer of a person at the first clear instance.
The classifier reads most of them as ``frustrated``, but not all: "I AM VERY DISAPPOINTED
NO RESULTS AFTER 3 SESSIONS" was read as the results question (its words are the FAQ's),
"i feel cheated", "total rip off" and "not happy at all with my treatment" fell under the
fallback threshold, and the patient got a FAQ answer or "did you mean". The patterns here
are the plain cases only, in the patient's own voice:

* a feeling said in earnest: "i am very disappointed", "im so upset", "not happy at all
  with my treatment", "i feel cheated";
* a charge: scam, rip off, fraud, cheaters, waste of money, worst clinic, never coming back,
  a complaint to make;
* shouting: most letters in capitals, with a complaint's words (nothing, still, worse,
  refund, no results ...): "I PAID 3400 AND NOTHING CHANGED", not "HOW MUCH IS IT" or
  "DOES IT HURT A LOT???";
* the same in Gulf Arabic and Arabizi ("ما عجبني", "مو راضي", "نصابين", "ma 3ajabni").

A question about the feeling ("what if i'm not happy with the results?", "is it normal to
feel disappointed after the first session?"), about trust ("is mesotherapy legit or a
scam?") or a story that ends in a request for advice is the FAQ's to answer, not a
complaint. The pipeline applies it only where the classifier did not call the message
off-topic (a bank customer's "I think I've been scammed" stays off-topic).
``addons.nlu.message_guard.MessageGuard`` turns a complaint into ``frustrated`` (apology,
then a person); a warning sign still wins (the triage runs after it).
"""
from __future__ import annotations

import re

from clinic.language import normalise_arabic

MAX_TEXT = 500
_STRONG = r"(?:very|so|really|extremely|totally|highly|super|quite|deeply|truly|utterly|completely|soo+|v)"
_FEELING = (r"(?:disappointed|dissapointed|disapointed|upset|angry|furious|frustrated|fed up|annoyed|unhappy|"
            r"dissatisfied|unsatisfied|cheated|scammed|fooled|robbed|betrayed|devastated|heartbroken|disgusted)")
_ENGLISH = re.compile("|".join([
    # "i am very disappointed", "im so upset with the results", "i feel cheated", "we are not happy"
    rf"\b(?:i|im|i'm|i am|we|we're|we are|i feel|i felt|i was|feeling|feel)\s+(?:\w+\s+){{0,2}}?{_FEELING}\b",
    rf"\b{_STRONG}\s+{_FEELING}\b",
    r"\bnot (?:at all )?(?:happy|satisfied|pleased)(?: at all)? with (?:the|my|your|ur|this|these|it|you|u)\b",
    r"\b(?:scam|scams|scammers?|scammed|rip ?off|ripoff|fraud|frauds|fraudsters?|cheat(?:ed|ers?|ing)|liars?|"
    r"thie(?:f|ves)|con artists?|looters?)\b",
    r"\bwaste of (?:my |our |your |ur )?(?:money|time|cash)\b",
    r"\bworst (?:clinic|experience|service|treatment|decision|place|doctor|bot|customer service|ever)\b",
    r"\bnever (?:coming|come|going|go) back\b",
    r"\b(?:want|wanna|would like|need|going) to (?:complain|make a complaint|file a complaint|raise a complaint|"
    r"report you)\b|\bcomplain(?:t)? (?:about|against)\b",
    r"\b(?:useless|pathetic|rubbish|ridiculous|disgraceful|unprofessional|shameful)\b|\b(?:is|are) a joke\b",
]))
# questions about the feeling, or the words in a story that is no complaint
_NOT_A_COMPLAINT = re.compile(
    r"\b(?:what if|if i(?:'m| am|m)?|in case|is it normal|will i|would i|what happens if|how (?:to|do i|can i) avoid|"
    r"avoid(?:ing)?|not (?:a|any) scam|no scam|don'?t (?:want to )?(?:be|get) (?:scammed|cheated)|"
    r"sorry to hear|not disappointed|wasn'?t disappointed|never disappointed|won'?t be disappointed|"
    # "is mesotherapy legit or a scam?": a question about trust, the safety answer's
    r"(?:is|are|isn'?t) (?:it|this|that|they|meso\w*|the \w+)\b[^.!]*\b(?:scam|fraud|rip ?off|waste of)|"
    # a story that ends in a question for advice: the FAQ's
    r"(?:what do you|what would you|do you|can you) (?:recommend|suggest|advise)|should i)\b")
# shouting counts only with a complaint's words in it
# (patients shout questions too: "DOES IT HURT A LOT???", "IS IT SAFE OR NOT")
_SHOUTED_COMPLAINT = re.compile(
    r"\b(?:nobody|no one|never|nothing|still|worse|worst|useless|refund|money back|waiting|wrong|paid|"
    r"disappointed|angry|upset|no results?|no response|no reply|no answer|not working|not answering|"
    r"didn'?t work|doesn'?t work|not (?:happy|satisfied))\b")
_ARABIC = re.compile("|".join([
    r"ما عجبني|ما عجبتني|مو راضي|مب راضي|مش راضي|مو راضيه|مب راضيه|مش راضيه|زعلان|زعلانه|متضايق|متضايقه",
    r"نصب|نصابين|نصابه|حراميه|حرامية|سرقتوني|ضحكتوا علي|غش|غشاشين",
    r"سيي|اسوا|خدمه زفت|زفت|ما ينصح|لا انصح",
    r"ابي فلوسي|ابغي فلوسي|ارجعوا فلوسي|رجعوا فلوسي|استرجاع فلوسي|ضيعت فلوسي|خساره فلوس",
    r"ما استفدت|ما في نتيجه|مافي نتيجه|بدون نتيجه|شكوي|اشتكي|ابي اشتكي",
    r"\bma (?:3ajabni|3jabni|3jbni|ajabni)\b|\b(?:mo|mub|mish|mb) (?:radi|raadi|radya|radia)\b",
    r"\b(?:nasbeen|nassabeen|naseb|nasb|7aramiya|7aramieh|ghash|gash)\b",
    r"\b(?:abi|abgha|abga|bidi) (?:flosi|floosi|fulusi)\b|\b(?:wala|wla|mafi|ma fi) nate?ee?ja\b",
]))


def is_complaint(text: str) -> bool:
    """Whether ``text`` complains or says a strong feeling in earnest (see the module notes)."""
    text = (text or "")[:MAX_TEXT]
    if not text.strip() or text.lstrip().startswith("/"):
        return False
    lowered = " ".join(text.lower().replace("’", "'").split())
    if _NOT_A_COMPLAINT.search(lowered):
        return False
    if _ENGLISH.search(lowered) or _ARABIC.search(normalise_arabic(lowered)):
        return True
    return shouting(text) and _SHOUTED_COMPLAINT.search(lowered) is not None


def shouting(text: str) -> bool:
    """Most of a message of three words or more typed in capitals ("WHY IS NOBODY ANSWERING")."""
    letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
    if len(letters) < 12 or len(text.split()) < 3:
        return False
    return sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
