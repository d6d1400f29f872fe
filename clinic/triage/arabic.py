"""Warning signs in Arabic script and Arabizi (Arabic in Latin letters with digits).

The English spaCy model knows nothing of Arabic, so this works on the raw text: the
text is normalised (:func:`normalise`: diacritics and tatweel removed, alef/hamza/ya/ta
marbuta forms unified, Arabic-Indic digits made ASCII), cut into clauses at punctuation
and at "but" (بس، لكن، bas), and each sign is a regular expression over that text. A sign
preceded in its clause by a negation (لا، ما في، مافي، ما عندي، بدون، mafi, ma 3ndi ...) does
not count, unless the negation is part of the sign itself ("ما اقدر اتنفس": can't breathe).

>>> [f.label for f in find_signs("في صديد بعد الجلسة وعندي حرارة")]
['infection.pus', 'infection.fever']
>>> find_signs("لا يوجد صديد ولا حرارة")
[]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Pattern, Tuple

from clinic.language import ARABIZI, detect, normalise_arabic

_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
# Arabizi: a word mixing Latin letters with the digits that stand for Arabic sounds
_ARABIZI_WORD = re.compile(r"\b(?=[a-z]*[23579])(?=[23579]*[a-z])[a-z23579']{3,}\b")
_ARABIZI_COMMON = re.compile(
    r"\b(mafi|mafeesh|ma ?fi|3ndi|3andi|ana|wajhi|wejhi|shu|shou|shlon|kteer|ktir|wayed|bas|mish|msh|"
    r"ya3ni|inshallah|habibi|el|fi|sadeed|sadid|7arara|harara|ebar|ibar|abi|abga|mabi)\b")

_CLAUSE = re.compile(r"[.!?;,\n]+|\s(?:بس|لكن|bas|bs|lakin|laken|walakin)\s")
_NEGATION = re.compile(
    r"(?:^|\s)(?:لا يوجد|لا|ما في|مافي|مافيه|ما فيه|ما عندي|ماعندي|ما عنده|ماعنده|مو|مش|ليس|بدون|ولا|بلا|"
    r"mafi|mafeesh|ma ?fi|ma ?3ndi|ma ?3andi|mish|msh|mu|bidun|bdoon|bala|la|wala)(?=\s|$)")

# a general question or a condition, not a report, when it comes before the sign in its clause:
# "هل الميزو يسبب حرارة؟" (does meso cause fever?), "اذا صار عندي صديد" (if I get pus), "علامات الالتهاب"
# (not "عادي يكون فيه صديد؟": "is it normal" often comes with a sign that is there)
_GENERAL = re.compile(
    r"(?:^|\s)(?:هل (?:ممكن|يمكن|من الممكن)|ممكن (?:يسبب|تسبب|يطلع|تطلع)|يسبب|تسبب|علامات|اعراض|مخاطر|اضرار"
    r"|في حال|(?:اذا|لو) (?:صار|طلع|طلعت|جاني|جاتني|حسيت)"
    r"|momken ysabbeb|mumkin ysabbeb|ysabbeb|ysabeb|(?:law|iza|eza|itha) (?:sar|9ar|tala3)|3alamat)(?=\s|$)")

# (label, pattern) over normalised text; Arabic words may carry the prefixes و ف ب ل ال
_P = r"(?:^|\s|[وفبل]|ال|وال|بال)"
_E = r"(?=\s|$|[.,!?])"


def _ar(words: str) -> str:
    return _P + "(?:" + words + ")"


RULES: List[Tuple[str, Pattern]] = [(label, re.compile(pattern)) for label, pattern in [
    ("infection.pus", _ar(r"صديد|قيح|افرازات|افراز|صديده|حبوب (?:بيضا|بيضاء|بيض|صفرا|صفراء)"
                             r"|(?:سائل|ماي|مويه|ماء) (?:اصفر|صفر|اخضر|عكر)|ملتهب|ملتهبه") + r"|\b(?:sadeed|sadid|sadiid|9adeed|qee7|qai7)\b"),
    ("infection.fever", _ar(r"حراره|حرار[هت]ي|حمي|حماي|سخونه|سخونيه|قشعريره|رعشه") +
     r"|\b(?:7arara|7rara|harara|7ararah|7ararti|7omma|homma|sokhoneh|sa5oneh|s5oneh)\b"),
    ("allergic.airway", _ar(r"ضيق (?:في )?(?:ال)?(?:تنفس|نفس)|صعوب[هت] (?:في )?(?:ال)?(?:تنفس|بلع)|اختناق|اختنق|كتمه") +
     r"|" + _ar(r"(?:ما|مو|مش|ما اقدر|مااقدر|ما قادر|صعب|ماني قادر)\s*(?:ا|ن)?(?:تنفس|بلع|ابلع)") +
     r"|\b(?:mish|msh|ma|mu|mani|9a3b|sa3b|sa3eb)\s+(?:2ader|2dar|a2dar|gader|qader|2adra|gadra|9a3b|a8dar|8ader|8adra|agdar|aqdar|a9dar|9ader)?\s*"
     r"(?:atnaffas|atnafas|atnafis|tnaffos|etnafas|abla3|ebla3)\b|\b(?:di2|dee2|9ee8) (?:b)?(?:el)?(?:nafas"
     r"|tanaffos)\b"),
    ("allergic.throat", _ar(r"(?:لساني|لسان|حلقي|حلق|زوري|بلعومي)\s*(?:\S+\s+){0,2}(?:متورم|منتفخ|ورم|تورم|انتفخ|مسكر|يسكر|ضيق|يضيق|ضاق|يتسكر|مقفل|يقفل|ينقفل|ثقيل)") +
     r"|\b(?:lsani|lisani|lsan|7al2i|7algi|7al8i|zori)\s+(?:\S+\s+)?(?:mtawarem|metwarrem|monfakh|mntefekh|msakar|m9akar|ta2eel|t8eel)\b"),
    ("systemic.vision", _ar(r"(?:ما|مو|مش|ما اقدر|مااقدر)\s*(?:ا|ن)?شوف|نظري\s*(?:\S+\s+)?(?:ضعف|تغير|راح|مغبش|مشوش|غباش)|غباش|زغلله|عمي|رويه مشوشه|اشوف دبل|اشوف ضبابي") +
     r"|\b(?:ma|mish|msh|mu)\s+(?:2ader\s+|a2dar\s+)?(?:ashoof|ashuf|bshuf|bashoof|shayef|shayfeh)\b|\b(?:nazari|na9ari)\s+(?:\S+\s+)?(?:m8abash|mghabash|da3if)\b"),
    ("systemic.cyanosis", _ar(r"(?:شفايفي|شفايف|شفتي|شفتاي|شفاهي|شفه|شفاه)\s*(?:\S+\s+){0,2}(?:زرق|ازرق|زرقاء|زرقا|رمادي|رصاصي)") +
     r"|\b(?:shfayfi|shfafi|sh?afaifi|shafati)\s+(?:\S+\s+)?(?:zar2a|zar8a|zarqa|zarga|azra2|azra8|azraq|zer2a|ramadi)\b"),
    ("vascular.colour", _ar(r"ازرق|زرقاء|زرقا|رمادي|رصاصي|اسود|اسودت|ازرقت|ابيض وبارد|بارد ولونه"
                               r"|(?:الجلد|جلدي|المكان|مكان الابره|مكان الحقنه)\s*(?:\S+\s+){0,1}(?:ابيض|بيضا|شاحب)")
     + r"|\b(?:jildi|jeldi|el jild|el mkan)\s+(?:\S+\s+)?(?:abyad|abya9|bay9a|bayda|sha7eb)\b" + r"|\b(?:azra2|zar2a|ramadi|aswad)\b"),
    ("systemic.faint", _ar(r"اغمي|اغماء|اغمى|انغمى|غمي علي|غميت|فقدت الوعي|طحت") + r"|\b(?:oghmi|ghmi|ghumi|o4mi)\b"),
    ("systemic.dizzy", _ar(r"دوخه|دايخ|دايخه|دوار|دايخة") + r"|\b(?:dokha|daye5|dayekh|daykha)\b"),
    ("swelling.severe", _ar(r"(?:متورم|منتفخ|تورم|انتفاخ|ورم|منفوخ)\s*(?:\S+\s+){0,2}و?(?:كثير|واجد|وايد|مره|شديد|يزيد|يكبر|قوي|بزياده)|(?:تورم|انتفاخ|ورم) شديد") +
     r"|\b(?:mtawarem|metwarrem|mntefekh|manfookh|waram|ntifakh)\s+(?:\S+\s+)?(?:kteer|ktir|wayed|wayid|marra|shdeed|yzeed|ykbar)\b"),
    ("swelling.site", _ar(r"(?:عيني|عيوني|عين|شفايفي|شفتي|شفايف|وجهي|وجه)\s*(?:\S+\s+){0,1}"
                          r"(?:متورم|متورمه|منتفخ|منتفخه|تورم|انتفخ|انتفخت)"
                          r"|(?:تورم|انتفاخ) (?:في )?(?:عيني|الشفايف|شفايفي|الوجه|وجهي)"
                          # the verb first: "تورمت عيناي" (my eyes swelled)
                          r"|(?:تورمت|تورم|انتفخت|انتفخ|ورمت|ورم)\s*(?:\S+\s+){0,1}"
                          r"(?:عيناي|عيني|عيوني|شفتاي|شفتي|شفايفي|وجهي|جفني|جفوني)")
     # Arabizi: "wajhi manfookh", "3youni mtawarmeen", "shfayfi waram"
     + r"|\b(?:wajhi|wejhi|wjhi|wa6hi|3ayni|3ayoni|3youni|3yooni|shfayfi|shafayfi|shfafi|khaddi|5addi|7addi)\s+"
       r"(?:(?!(?:mish|msh|mesh|mu|mo|ma|mush|la)\s)\S+\s+)?(?:manfookh|manfoo5|manfokh|mnafakh|mnaffakh|mntefekh|montafekh|mtawarem|mtawarmeen|metwarrem"
       r"|mwarram|waram|warram|nafkh|nafa5)\b"),
    # Arabizi heat at the treated place: "wajhi manfookh w 7ar", "el mkan 7ar"
    ("infection.heat", r"\b(?:wajhi|wejhi|wjhi|khaddi|5addi|mkan|makan|el mkan|jildi|jeldi)\s+"
                       r"(?:(?!(?:mish|msh|mesh|mu|mo|ma|mush|la|mafi)\s)\S+\s+){0,3}"
                       r"(?:w\s*)?(?:7ar|7arr|7amy|7ami|sokhn|s5n|sokhon)\b"),
    # weakness after a toxin: "عجزت عن فتحهما" (I could not open them), "شفتي لا تتحرك" (my lip does not move)
    ("weakness.cant_open", _ar(r"(?:عجزت|ما قدرت|ماقدرت|لم اقدر|لم استطع|ما اقدر|مااقدر|ما اقدرش|صعب)\s*"
                               r"(?:عن )?(?:ال)?(?:فتح|افتح|اسكر|اغمض|اغلق)") +
     r"|\b(?:ma|mish|msh|mu)\s+(?:2ader|a2dar|gader|agdar)\s+(?:afta7|aftah|asaker|ghammed)\b"),
    ("weakness.cant_move", _ar(r"(?:شفتي|شفايفي|شفتاي|وجهي|جفني|عيني|فمي|حاجبي)\s*(?:\S+\s+){0,1}"
                               r"(?:لا|ما|مو|مش)\s*(?:تتحرك|يتحرك|تحرك|يتحركش)"
                               r"|(?:نصف|نص) وجهي\s*(?:\S+\s+){0,1}(?:نازل|مايل|مشلول|متجمد|طايح|ثقيل|ما يتحرك"
                               r"|لا يتحرك)"
                               r"|وجهي مشلول")),
    ("worsening.worse", _ar(r"(?:حالتي|الحاله|الوضع|الالم|الوجع|التورم|الورم|الاحمرار)\s*(?:\S+\s+){0,1}"
                            r"(?:ساءت|تسوء|يسوء|اسوا|اسوء|صارت اسوا|صار اسوا|تزيد سوء|يزيد|يزداد|قاعد يزيد)"
                            r"|(?:ساءت|ازدادت سوءا)\s*(?:\S+\s+){0,1}(?:حالتي|الحاله)"
                            r"|(?:الم|وجع)\s*(?:\S+\s+){0,1}(?:اسوا|اسوء|اشد)")),
    ("lump.growing", _ar(r"(?:الورم|ورم|الكتله|كتله|الحبه|حبه|الانتفاخ|انتفاخ)\s*(?:\S+\s+){0,2}(?:يكبر|كبر|تكبر|كبرت|يزيد|تزيد|يزداد|تزداد|قاعد يكبر|قاعده تكبر)")
     + r"|\b(?:el ?)?(?:waram|war(?:a|u)m|kutla|7abba)\s+(?:\S+\s+)?(?:ykbar|yikbar|kbir|yzeed|tkbar|3am yikbar)\b"),
    ("pain.severe", _ar(r"(?:الم|وجع|اوجاع|الام)\s*(?:\S+\s+){0,1}(?:شديد|قوي|كثير|واجد|وايد|ما يتحمل|مايتحمل|فظيع)|يوجعني (?:كثير|واجد|وايد|مره)") +
     r"|\b(?:wja3|waja3|wajaa|alam)\s+(?:\S+\s+)?(?:shdeed|kteer|wayed|2awi|gawi)\b"),
    ("worsening.spread", _ar(r"(?:الاحمرار|احمرار|الحمار|حمار)\s*(?:\S+\s+){0,1}(?:يزيد|ينتشر|يكبر|زاد|انتشر)|ينتشر|قاعد يزيد") +
     r"|\b(?:a7mirar|a7mrar|ahmirar)\s+(?:\S+\s+)?(?:yzeed|byzeed|yentsher|3am yzeed)\b"),
    ("allergic.rash", _ar(r"طفح|شري|حساسيه (?:في|علي) (?:كل )?(?:جسمي|الجسم)|حكه في (?:كل )?جسمي|حبوب\s*(?:\S+\s+){0,1}(?:في|علي) (?:كل )?(?:جسمي|الجسم)|حبوب فيها صديد")),
    ("tissue_damage.blister", _ar(r"فقاعات|فقاعه|بثور|قرحه|جرح مفتوح|الجلد (?:\S+\s+)?(?:يتقشر ويطلع دم|مات|ميت)")),
]]

EMERGENCY = frozenset({"allergic.airway", "allergic.throat", "systemic.vision", "systemic.cyanosis",
                       "systemic.faint"})
# a negation that is the beginning of the sign itself ("ما اقدر اتنفس")
_SIGN_NEGATION_LABELS = frozenset({"allergic.airway", "systemic.vision", "weakness.cant_move"})
# Arabic fever readings: "حرارتي 38.5", "7arara 39"
_READING = re.compile(r"(?:حراره|حرارتي|حرارته|الحراره|7arara|harara|7ararti|temp)\D{0,12}(\d{2,3}(?:[.,]\d)?)")


@dataclass(frozen=True)
class ArabicFinding:
    label: str

    @property
    def category(self) -> str:
        return self.label.split(".", 1)[0]


def normalise(text: str) -> str:
    """Arabic text in one spelling: no diacritics or tatweel, one alef, ya and ha, ASCII digits
    (the shared :func:`clinic.language.normalise_arabic`)."""
    return normalise_arabic(text)


def is_arabic(text: str) -> bool:
    """Arabic script, or at least two Arabizi words ("3ndi 7arara", "mafi sadeed")."""
    if _ARABIC_LETTER.search(text or ""):
        return True
    low = (text or "").lower()
    hits = len(_ARABIZI_WORD.findall(low)) + len(_ARABIZI_COMMON.findall(low))
    return hits >= 2 or detect(text or "") == ARABIZI  # or what the conversation's detector reads


def _negated(clause: str, start: int, label: str, match_text: str) -> bool:
    before = clause[:start]
    if label in _SIGN_NEGATION_LABELS and _NEGATION.match(" " + match_text.strip()):
        return False
    return bool(_NEGATION.search(before))


def find_signs(text: str) -> List[ArabicFinding]:
    """The warning signs an Arabic or Arabizi message describes (not denied)."""
    found: List[ArabicFinding] = []
    norm = normalise(text)
    if not norm:
        return found
    for clause in _CLAUSE.split(" " + norm + " "):
        clause = " " + clause.strip() + " "
        readings = [m for m in _READING.finditer(clause)]
        for label, pattern in RULES:
            if label == "infection.fever" and readings:
                continue  # a reading decides: "حرارتي 37" is not a fever
            for match in pattern.finditer(clause):
                if _GENERAL.search(clause[:match.start() + 1]):
                    continue  # asked in general or as a condition
                if not _negated(clause, match.start(), label, match.group(0)):
                    found.append(ArabicFinding(label))
                    break
        for match in readings:
            if _is_fever(match.group(1)) and not _NEGATION.search(clause[:match.start()]):
                found.append(ArabicFinding("infection.fever"))
    unique: List[ArabicFinding] = []
    for finding in found:
        if finding not in unique:
            unique.append(finding)
    return unique


def _is_fever(number: str) -> bool:
    try:
        value = float(number.replace(",", "."))
    except ValueError:
        return False
    return 37.8 <= value <= 43.0 or 100.0 <= value <= 108.0


# Calm evidence in Arabic (as clinic.triage.calm for English): the writer denies the warning
# signs ("لا يوجد صديد ولا حرارة") or calls what they have mild ("احمرار خفيف", "شوي تورم"),
# and nothing in the message is alarming. Then the classifier's own urgent_symptom does not
# pause the conversation (clinic.triage.overrules_classifier).
_MILD_AR = re.compile(_ar(r"خفيف|خفيفه|بسيط|بسيطه|شوي|شويه|شوية|قليل|قليله|طفيف|طفيفه|عادي") + _E +
                      r"|\b(?:5afeef|khafeef|khafif|basee6|basit|shwai|shway|shwaya|3adi)\b")
_ALARM_AR = re.compile(_ar(r"شديد|شديده|قوي|قويه|كثير|وايد|يزيد|تزيد|زاد|زادت|ينتشر|تنتشر|انتشر|اسوا|يكبر|تكبر|كبر"
                           r"|ازرق|زرقا|زرقه|اسود|ابيض|رمادي|مستمر|ما يروح|ما راح|نزيف|ينزف|طفح|دوخه|دوار|اغمي|نظري|عيوني") +
                       r"|\b(?:wayed|kteer|ktir|yzeed|tzeed|shadeed|azra8|azrag|zar8a|dokha)\b")


def says_expected_course(text: str) -> bool:
    """Whether an Arabic or Arabizi message the rules passed tells the expected course in its
    own words: no sign found, at least one denied or the rest called mild, nothing alarming."""
    norm = " " + normalise(text).lower() + " "
    if not norm.strip() or find_signs(text) or _ALARM_AR.search(norm):
        return False
    denied = any(pattern.search(norm) for _, pattern in RULES)  # signs named, all denied (find_signs found none)
    return denied or bool(_MILD_AR.search(norm))
