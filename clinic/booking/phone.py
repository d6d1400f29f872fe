"""Validation of what patients type as their name and mobile number.

Phone numbers go through ``phonenumbers`` (Google's libphonenumber) with the UAE as
the default region: ``050 123 4567``, ``+971 50 123 4567``, ``971501234567`` and
``00971 50 123 4567`` all become ``+971501234567``. Anything with letters, or that
libphonenumber does not consider a valid number, is rejected.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

import phonenumbers

from clinic.language import normalise_arabic

DEFAULT_REGION = "AE"
MAX_NAME_CHARS = 60
MIN_NAME_CHARS = 2
_PHONE_CHARS = re.compile(r"^[\d\s()+\-./]{6,30}$")
_PHONE_LEAD_IN = re.compile(
    r"^(?:(?:it'?s|it is|here(?: it)? is|sure)[,:]?\s+)?"
    r"(?:(?:my\s+)?(?:mobile|cell|phone|number|whatsapp|tel)(?:\s+(?:number|no\.?))?(?:\s+is)?)?[\s:]*", re.I)
_NAME_LEAD_IN = re.compile(r"^(?:(?:my|the)\s+name\s+is|name\s*(?:is|:)|i\s+am|i'?m|it'?s|it\s+is|this\s+is|"
                           r"call\s+me)(?:[\s:,]+|$)", re.I)
_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:(?:\.?[ '\-]|\.)[^\W\d_]+)*\.?$")
MAX_NAME_WORDS = 6
# words that are replies or sentence words, never part of a name: "yes ok", "nope", "thanks",
# "I want to book" are refused (particles such as "bin", "al", "de" are not listed)
NOT_NAME_WORDS = frozenset("""
yes yeah yep yup ya ok okay sure fine no nope nah not thanks thank thx please pls plz hi hello hey
sorry welcome bye good great cool alright right done stop cancel book booking appointment consultation
session tomorrow today tonight morning afternoon evening week what when where why how who which
i me my mine you your we our is are am was were be been do does did can could would should shall
might must want wanted need like love have has had to for of in on at with from about and or but
if so that this it its there here the any some just also very really maybe again now then later
time date number phone mobile whatsapp call free available
monday tuesday wednesday thursday friday saturday sunday tmrw next earliest asap instead actually
rather mornings afternoons evenings am pm
reschedule rescheduled rebook move moved shift postpone change booked cancelled canceled
whatever anything nothing everything whenever either neither hmm idk perfect same first second third last
both none wait one two three four five six seven eight nine ten flexible other another more price cost
anytime early earlier late latest soon soonest weekend weekends weekday weekdays ty np yess yea
""".split())
# the same in Arabic and Arabizi (compared in one spelling, clinic.language.normalise_arabic;
# not words that are also names, such as نور, امل, سلام, صباح, خميس, جمعه, زين, هلا, and not على,
# which is علي (Ali) in that spelling)
_ARABIC_NOT_NAME = frozenset("""
نعم ايوه ايوا اي ايه لا لاء اوكي اوك تمام شكرا مشكور مشكوره يعطيك العافيه مرحبا اهلا السلام
عليكم ابي ابغي ابغا ابا اريد ودي حجز احجز موعد مواعيد استشاره جلسه الجلسه بكره باچر اليوم الحين الان ممكن
كم وش شو ايش شنو متي وين كيف ليش هل الساعه صباحا مساء لو سمحت فضلك من في عن الي هذا هذي هذه
عندي انا انت ما مو مش مب بس خلاص الغاء الغي الغي وقف يوم ساعه رقم رقمي جوال جوالي موبايل موبايلي تلفون
تلفوني واتساب اسمي الاسم اسم السعر سعر العياده دكتور الدكتور الدكتوره ok na3am aywa la2 tamam
shukran abgha abgi a7jiz maw3ed w wa ra8mi raqmi ra2mi rakmi bukra bokra
""".split())
NOT_NAME_WORDS = NOT_NAME_WORDS | _ARABIC_NOT_NAME | frozenset("و" + w for w in _ARABIC_NOT_NAME)
# "اسمي محمد", "الاسم: سارة", "معك أحمد" (on the phone: "you're speaking to Ahmed")
_NAME_LEAD_IN_AR = re.compile(r"^(?:(?:انا\s+)?(?:اسمي\s+هو|اسمي|إسمي|أسمي|الاسم|الإسم)|انا|أنا|معك|معاك"
                              r"|ana\s+(?:esmi|ismi)|esmi|ismi)"
                              r"(?:[\s:,]+|$)")
# Arabic diacritics (harakat) and tatweel: "مُحَمَّد" is "محمد"
_ARABIC_MARKS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")


# Arabic-Indic and Persian (Eastern Arabic-Indic) digits -> ASCII; the invisible direction
# marks that right-to-left keyboards and copy-paste put around numbers are dropped
_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                         **{chr(0x06F0 + i): str(i) for i in range(10)},
                         **{ch: None for ch in "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                                                "\u2066\u2067\u2068\u2069"}})
# "رقمي ٠٥٠...", "رقم الجوال: ...", "جوالي ...", "الواتساب ..."
_PHONE_LEAD_IN_AR = re.compile(
    r"^(?:(?:هذا|هذي|هو)\s+)?(?:و?(?:رقمي|رقم|الرقم|جوالي|الجوال|جوال|موبايلي|الموبايل|موبايل|تلفوني|التلفون|"
    r"هاتفي|الهاتف|واتسابي|الواتساب|واتساب)(?:\s+(?:هو|الجوال|الموبايل|الهاتف|التلفون|الواتساب|جوالي|موبايلي))?)[\s:]*")


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII, direction marks removed (``٠٥٠`` -> ``050``)."""
    return (text or "").translate(_DIGITS)


def normalise_phone(text: Optional[str], region: str = DEFAULT_REGION) -> Optional[str]:
    """``text`` as an E.164 number (``+9715...``), or None if invalid.

    A lead-in such as "my number is" (or "رقمي") is dropped; any other letters make it
    invalid. Arabic-Indic and Persian digits count as digits (``٠٥٠١٢٣٤٥٦٧``).
    """
    if not text or not isinstance(text, str):
        return None
    cleaned = ascii_digits(unicodedata.normalize("NFKC", text).strip()[:100]).strip()
    cleaned = _PHONE_LEAD_IN_AR.sub("", _PHONE_LEAD_IN.sub("", cleaned)).rstrip(" .")
    if not _PHONE_CHARS.match(cleaned):
        return None  # letters, emoji, injection strings, too short or too long
    digits = re.sub(r"\D", "", cleaned)
    if cleaned.startswith("00"):
        cleaned = "+" + digits[2:]
    elif digits.startswith("971") and not cleaned.startswith("+") and len(digits) >= 11:
        cleaned = "+" + digits
    try:
        number = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """True for mobile numbers (and numbers that may be either)."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164, None))
    return kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


# a reply word in front of the name ("ok. Vikram Singh", "sure, Priya Nair"): read away when it
# is set off by punctuation or two or more words follow ("sure thing" stays no name)
_REPLY_LEAD = re.compile(r"^(?:ok(?:ay|ey)?|okk+|kk|fine|sure|alright|yes|yeah|ya)(?:([.,!:;\-]+)\s*|\s+)", re.I)


def _without_reply_lead(name: str) -> str:
    lead = _REPLY_LEAD.match(name)
    if not lead:
        return name
    rest = name[lead.end():]
    return rest if lead.group(1) or len(rest.split()) >= 2 else name


def normalise_name(text: Optional[str]) -> Optional[str]:
    """A patient's name, trimmed and with single spaces, or None when it is not a name.

    A lead-in such as "my name is" (or "اسمي") is dropped. Letters of any script (Arabic
    diacritics dropped), spaces,
    apostrophes, hyphens and dots; 2 to 60 characters;
    no digits, symbols or markup (so ``'; DROP TABLE`` and ``<script>`` are refused); at most
    6 words, none of them a reply or sentence word (``yes ok``, ``nope``, ``thanks``, ``I want to book``).
    """
    if not text or not isinstance(text, str):
        return None
    name = " ".join(_ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text)).split())
    name = _NAME_LEAD_IN_AR.sub("", _NAME_LEAD_IN.sub("", _without_reply_lead(name[:200]))).rstrip(" .!،")
    if not (MIN_NAME_CHARS <= len(name) <= MAX_NAME_CHARS):
        return None
    if not _NAME_CHARS.match(name):
        return None
    words = re.split(r"[ \-.]+", name.lower().replace("'", ""))
    if len(words) > MAX_NAME_WORDS or any(word in NOT_NAME_WORDS or normalise_arabic(word) in NOT_NAME_WORDS
                                          for word in words):
        return None  # a reply ("yes ok", "nope", "نعم") or a sentence, not a name
    if name == name.lower() and name != name.upper():  # "priya nair" typed in lowercase
        name = name.title()
    return name


def mask_phone(e164: str) -> str:
    """``+971501234567`` -> ``+971 ••• ••• 567`` for messages and logs."""
    return f"{e164[:4]} \u2022\u2022\u2022 \u2022\u2022\u2022 {e164[-3:]}" if len(e164) > 7 else "\u2022\u2022\u2022"
