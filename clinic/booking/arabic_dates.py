"""Arabic and Arabizi day and time expressions -> the English words the date rules read.

"بكرة الساعة ٥", "الخميس الجاي بعد العصر", "بعد بكرة الصبح", "يوم السبت الساعة ١١ ونص",
"bukra 5 l3asr": :func:`to_english` rewrites the Arabic (Gulf and MSA) and Arabizi words for
days, parts of the day and clock times as the English words :mod:`clinic.booking.dates`
already reads ("tomorrow at 5", "thursday asr", "day after tomorrow morning",
"saturday at 11:30", "tomorrow at 5 pm asr"), so every reader of the booking (the forms'
time question, the opening message, "after 5" preferences, the offer of free times)
gets the same :class:`~clinic.booking.dates.DateQuery` as for the English words, from
one set of rules. Text without Arabic letters, Arabic-Indic digits or these Arabizi words
comes back unchanged (English text is not touched).

Choices (for review by a native speaker):

* Days: بكرة/بكره/بكرا/باچر/باكر/غدًا -> tomorrow; بعد بكرة / بعد غد -> the day after;
  اليوم, الليلة, أمس/البارحة. A weekday needs the article or "يوم" ("الخميس", "يوم خميس"),
  because خميس, جمعة and صباح are also first names. "الخميس الجاي / القادم" is the coming
  Thursday (as "Thursday" in English: today when today is Thursday); "الخميس الأسبوع الجاي"
  / "الخميس اللي بعده" is the Thursday of next week ("next Thursday").
* Parts of the day, as local time windows: الصبح/الصباح/صباحًا and "قبل الظهر" -> morning
  (08:00-12:00); الظهر/وقت الغدا -> lunchtime (12:00-14:00); "بعد الظهر" (MSA for p.m.) ->
  afternoon (12:00-17:00); العصر / بعد العصر -> ``asr`` (15:30-18:00: the afternoon prayer is
  at about 15:15-15:45 in Dubai through the year, and "after asr" is the late afternoon);
  المغرب / بعد المغرب -> ``maghrib`` (18:00-20:30); بالليل/الليل/المسا/مساءً/العشا -> evening
  (17:00-midnight). ``asr`` and ``maghrib`` are added to :data:`clinic.booking.dates.PARTS`
  (Gulf English says "after asr" too). Greetings ("مساء الخير", "صباح الخير",
  "masa el 5er") are not parts of the day.
* Clock: "الساعة ٥", "٥ العصر", "٥م", "10 ص", "الساعة خمسة", "الساعة الخامسة", with ونص (:30),
  وربع (:15), وثلث (:20), إلا ربع (:45 of the hour before), إلا ثلث (:40). ص/صباحًا/am and
  م/مساءً/pm say a.m. or p.m.; otherwise the part of the day does (العصر, المغرب, الليل: p.m.;
  الصبح: a.m.), else the English rule applies (1-7 is the afternoon at a clinic).
  "بعد الساعة ٥" is the lower bound "after 5"; "بعد الدوام" is "after work".
* Weeks and months: الأسبوع الجاي/القادم, هذا الأسبوع, نهاية الأسبوع/الويكند, الشهر الجاي,
  "بعد ٣ أيام", "بعد يومين", "بعد أسبوع", "١٥ يناير" (the month names used in the UAE:
  يناير ... ديسمبر), "١٥/١".
* "أقرب موعد", "أول موعد متاح", "بأسرع وقت" -> the earliest.
* The two bookable services: استشارة/كشف/معاينة -> consultation; جلسة/ميزو/ميزوثيرابي ->
  session (and "كم سعر/بكم" -> "price", so a price question is not taken for a booking).
* Arabizi: bukra/bokra/bachir, ba3d bukra, el yom, el lela, el a7ad ... el sabt (with the
  article), jay/qadim, el esbo3 el jay, l3asr/el 3asr, el sob7/saba7, el dhuhr, el maghrib,
  bel lail/el masa, el sa3a 5 w nus, ba3d el dawam, jalsa/estishara.

Framework-free; about half a millisecond for an Arabic message (English text: a few
microseconds), remembered for the repeated readings of one turn. Normalisation (alef and ya forms, ta marbuta,
diacritics, tatweel, Arabic-Indic and Persian digits) is :func:`clinic.language.normalise_arabic`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, List, Optional, Tuple, Union

from clinic.language import normalise_arabic

MAX_TEXT = 300

# word edges: Arabic letters, Latin letters and digits are all \w
_S = r"(?<!\w)"
_E = r"(?!\w)"
_AND = r"(?:و|ف)?"                      # attached "and", "so"
_ART = r"(?:ال|لل|بال|هال)"              # the article (with "to", "at", "this")
_NEXT_AR = r"(?:ال)?(?:جاي|جايه|جايي|ياي|قادم|قادمه|مقبل|مقبله)|(?:اللي|الي)\s+(?:جاي|ياي)"
_NEXT_ZZ = r"(?:el|al|il|l)?[ -]?(?:jay|jaye|jaya|jayy|jaay|gay|yay|qadim|qadem|8adim|8adem)"

_TRIGGER = re.compile(
    r"[\u0600-\u06FF]|\b(?:bukra|bokra|bukrah|bokrah|bkra|bachir|bacher|baachir|baacher|ghadan|"
    r"yom|youm|yoom|yawm|elyom|alyom|lyom|elyoum|alyoum|ilyoum|elyawm|alyawm|lela|leila|laila|a7ad|ahad|ethnain|ithnain|ithnen|etnen|itnen|ethnen|ithnin|"
    r"thalatha|thulatha|tholatha|talat|talata|arba3a|arb3a|arbi3a|arbe3a|arba3|5amis|khamis|5ames|"
    r"khamees|5amees|jum3a|jom3a|jim3a|juma|jumaa|jumma|sabt|esbo3|usbu3|osbo3|isbu3|esbou3|esbu3|"
    r"asbu3|usbo3|\w*3asr|3aser|3sr|\w*sob7|sobh|subh|sub7|sba7|saba7|sabah|9ba7|9abah|9ob7|\w*dhuhr|"
    r"duhr|zuhr|zohr|thuhr|thohr|dohr|6uhr|6ohr|dhohr|9ohr|\w*maghrib|maghreb|mughrib|lail|leil|layl|"
    r"masa|masaa|masa2|mesa|bellail|billail|sa3a|sa3ah|saa3a|s3a|sa3eh|dawam|dwam|jalsa|jalseh|jalsah|"
    r"jalsat|estishara|istishara|esteshara|isteshara|a8rab|aqrab|agrab|asra3|se3r|si3r|sa3r|bkam|bikam)\b")

Replacement = Union[str, Callable[[re.Match[str]], str]]
Rule = Tuple[str, Replacement]
CompiledRule = Tuple[re.Pattern[str], Replacement]

# --------------------------------------------------------------------------- Arabic script

_DAYS_AR = {
    "sunday": r"احد", "monday": r"(?:اثنين|اتنين|ثنين)", "tuesday": r"(?:ثلاثاء|ثلاثا|ثلوث|تلات|تلاتاء)",
    "wednesday": r"(?:اربعاء|اربعا|ربوع)", "thursday": r"خميس", "friday": r"جمعه", "saturday": r"سبت",
}
_MONTHS_AR = {
    "january": "يناير", "february": "فبراير", "march": "مارس", "april": "ابريل", "may": "مايو",
    "june": "(?:يونيو|يونيه)", "july": "(?:يوليو|يوليه)", "august": "اغسطس", "september": "سبتمبر",
    "october": "اكتوبر", "november": "نوفمبر", "december": "ديسمبر",
}
_HOUR_WORDS = {
    "(?:واحده|وحده|الواحده)": 1, "(?:ثنتين|اثنين|الثانيه)": 2, "(?:ثلاث|ثلاثه|تلاته|الثالثه)": 3,
    "(?:اربع|اربعه|الرابعه)": 4, "(?:خمس|خمسه|الخامسه)": 5, "(?:ست|سته|السادسه)": 6,
    "(?:سبع|سبعه|السابعه)": 7, "(?:ثمان|ثمانيه|ثمنيه|الثامنه)": 8, "(?:تسع|تسعه|التاسعه)": 9,
    "(?:عشر|عشره|العاشره)": 10, "(?:احدعش|احدعشر|حداش|الحاديه عشر|الحاديه عشره)": 11,
    "(?:اثنعش|اثناعش|اطناش|الثانيه عشر|الثانيه عشره)": 12,
}


def _weekday_rules_ar() -> List[Rule]:
    rules: List[Rule] = []
    for english, body in _DAYS_AR.items():
        day = _S + _AND + r"(?:(?:ب|ل)?يوم\s+(?:ال)?|" + _ART + r")" + body + _E
        later = (r"\s+(?:(?:من|في)\s+)?(?:ال)?(?:اسبوع|جمعه)\s+(?:" + _NEXT_AR + r")|\s+(?:اللي|الي)\s+بعده"
                 r"|\s+بعد\s+(?:ال)?(?:جاي|ياي|قادم)")
        rules.append((day + r"(?:" + later + r")" + _E, f" next {english} "))
        rules.append((day + r"(?:\s+(?:" + _NEXT_AR + r"|هذا|هاذا))?" + _E, f" {english} "))
    return rules


_ARABIC_RULES: List[Rule] = [
    # greetings are not parts of the day
    (_S + r"(?:مساء|مسا|صباح)\s+(?:ال)?(?:خير|نور|ورد|فل)" + _E, " "),
    # prices: a question about the price is not a booking ("كم سعر الجلسة بكرة")
    (_S + r"(?:كم\s+)?(?:ال)?(?:سعر|اسعار|تكلفه|تكاليف)" + _E + r"|" + _S + r"(?:بكم|بكام|قديش|شقد)" + _E, " price "),
    # days
    (_S + _AND + r"بعد\s+(?:بكره|بكرا|باچر|باجر|باكر|غدا|غد|الغد|بكره)" + _E, " day after tomorrow "),
    (_S + _AND + r"(?:وقت|بعد)\s+(?:ال)?(?:غدا|غداء)" + _E, " lunchtime "),
    (_S + _AND + r"(?:ل|ع)?(?:بكره|بكرا|باچر|باجر|باكر|غدا|غدوه|الغد)" + _E, " tomorrow "),
    (_S + _AND + r"(?:ل|ب)?(?:اليوم|هاليوم)" + _E, " today "),
    (_S + _AND + r"(?:الليله|هالليله)" + _E, " tonight "),
    (_S + _AND + r"(?:امس|البارحه|امبارح|مبارح)" + _E, " yesterday "),
    # weeks, weekends, months
    (_S + _AND + r"(?:ف?ي?\s*)?(?:ال|هال)?(?:ويكند|ويك\s+اند)\s+(?:" + _NEXT_AR + r")" + _E, " next weekend "),
    (_S + _AND + r"(?:نهايه|اخر|عطله)\s+(?:ال)?اسبوع\s+(?:" + _NEXT_AR + r")" + _E, " next weekend "),
    (_S + _AND + r"(?:(?:ال|هال)?(?:ويكند|ويك\s+اند)|(?:نهايه|اخر|عطله)\s+(?:ال|هال)?اسبوع)" + _E, " weekend "),
    (_S + _AND + r"(?:ب|في\s+)?(?:ال)?(?:اسبوع|جمعه)\s+(?:" + _NEXT_AR + r")" + _E, " next week "),
    (_S + _AND + r"(?:هذا\s+(?:ال)?اسبوع|هالاسبوع|(?:ال)?اسبوع\s+هذا)" + _E, " this week "),
    (_S + _AND + r"(?:ال)?شهر\s+(?:" + _NEXT_AR + r")" + _E, " next month "),
    (_S + _AND + r"بعد\s+(\d{1,2})\s+(?:ايام|يوم)" + _E, r" in \1 days "),
    (_S + _AND + r"بعد\s+يومين" + _E, " in 2 days "),
    (_S + _AND + r"بعد\s+(?:اسبوعين|جمعتين)" + _E, " in 2 weeks "),
    (_S + _AND + r"بعد\s+(?:اسبوع|جمعه)" + _E, " in a week "),
    (_S + _AND + r"بعد\s+شهر" + _E, " in a month "),
    (r"(?<![\d/])(\d{1,2})\s*(?:من\s+)?شهر\s*(\d{1,2})(?![\d/])", r" \1/\2 "),
    *[(_S + _AND + r"(?:ب|في\s+)?(?:شهر\s+)?" + body + _E, f" {english} ") for english, body in _MONTHS_AR.items()],
    # the earliest
    (_S + _AND + r"(?:ب|في\s+)?(?:اقرب|اسرع|اول)\s+(?:موعد|وقت|فرصه|يوم)(?:\s+(?:متاح|فاضي|ممكن))?" + _E, " earliest "),
    # parts of the day (before the clock, which reads a.m./p.m. from them)
    (_S + _AND + r"قبل\s+(?:ال)?(?:ظهر|ضهر)" + _E, " morning "),
    (_S + _AND + r"بعد\s+(?:ال)?(?:ظهر|ضهر|ظهيره)" + _E, " afternoon "),
    (_S + _AND + r"(?:(?:بعد\s+)?(?:ال|بال|وقت\s+ال|فال)(?:عصر|عصريه)|عصرا|عصريه)" + _E, " asr "),
    (_S + _AND + r"(?:(?:بعد\s+)?(?:ال|بال|وقت\s+ال|فال)مغرب|مغربا)" + _E, " maghrib "),
    (_S + _AND + r"(?:بعد\s+)?(?:ال|بال|فال)(?:عشا|عشاء)" + _E, " evening "),
    (_S + _AND + r"(?:(?:ال|بال|فال|لل)(?:صبح|صباح|صبحيه)|صباحا|صبحا)" + _E, " morning "),
    (_S + _AND + r"(?:(?:ال|بال|فال)(?:ظهر|ضهر|ظهريه)|ظهرا)" + _E, " lunchtime "),
    (_S + _AND + r"(?:(?:ال|بال|فال)(?:ليل|مسا|مساء)|ليلا|مساء|مساءا|مسا)" + _E, " evening "),
    # after work
    (_S + _AND + r"بعد\s+(?:ال)?(?:دوام|شغل|عمل|وظيفه)" + _E, " after work "),
    # services: see _SERVICE_RULES
]
_ARABIC_RULES[7:7] = _weekday_rules_ar()

# --------------------------------------------------------------------------- Arabizi

_ZZ_ART = r"(?:el|al|il|l)[ -]?"
_ZZ_DAYS = {
    "sunday": r"(?:a7ad|ahad|7ad)",
    "monday": r"(?:ethnain|ithnain|ithnen|etnen|itnen|ethnen|ithnin|etnain|athnain|ithnayn)",
    "tuesday": r"(?:thalatha|thulatha|tholatha|thalath|talat|talata|tholotha)",
    "wednesday": r"(?:arba3a|arb3a|arbi3a|arbe3a|arba3|arbaa|arbe3)",
    "thursday": r"(?:5amis|khamis|5ames|khamees|5amees)",
    "friday": r"(?:jum3a|jom3a|jim3a|juma|jumaa|jumma|jomaa|jumu3a)", "saturday": r"(?:sabt|sebt)",
}
# weekdays that are unmistakable without the article
_ZZ_DAYS_ALONE = {"sunday": r"a7ad", "thursday": r"(?:5amis|5ames|5amees)", "friday": r"(?:jum3a|jom3a|jim3a)",
                  "saturday": r"sabt"}
_ZZ_WEEK = r"(?:esbo3|usbu3|osbo3|isbu3|esbou3|esbu3|asbu3|usbo3|isbo3)"


def _weekday_rules_zz() -> List[Rule]:
    rules: List[Rule] = []
    for english, body in _ZZ_DAYS.items():
        alone = _ZZ_DAYS_ALONE.get(english)
        day = _S + r"(?:(?:(?:yom|yoom|youm|yawm)\s+)?" + _ZZ_ART + body + (r"|" + alone if alone else "") + r")" + _E
        rules.append((day + r"\s+(?:" + _ZZ_ART + r")?" + _ZZ_WEEK + r"\s+" + _NEXT_ZZ + _E, f" next {english} "))
        rules.append((day + r"(?:\s+" + _NEXT_ZZ + r")?" + _E, f" {english} "))
    return rules


_ARABIZI_RULES: List[Rule] = [
    (_S + r"(?:sabah|saba7|9aba7|masa|masa2|masaa)\s*(?:el|al|il)?[ -]?(?:5[ae]+y?r|kh[ae]+y?r|noor|nour"
          r"|nur)" + _E, " "),
    (_S + r"(?:ba3d|b3d|ba3ad)\s+(?:bukra|bokra|bukrah|bokrah|bkra|bachir|bacher|baachir|baacher|ghadan)" + _E,
     " day after tomorrow "),
    (_S + r"(?:bukra|bokra|bukrah|bokrah|bkra|bachir|bacher|baachir|baacher|ghadan)" + _E, " tomorrow "),
    (_S + r"(?:(?:el|al|il|l)[ -]?(?:yom|youm|yoom|yawm)|elyom|alyom|lyom|elyoum|alyoum|ilyoum|elyawm|alyawm)" + _E,
     " today "),
    (_S + r"(?:(?:el|al|il|hal)[ -]?(?:lela|leila|laila|lailah|leileh))" + _E, " tonight "),
    (_S + r"(?:(?:" + _ZZ_ART + r")?" + _ZZ_WEEK + r"\s+" + _NEXT_ZZ + r")" + _E, " next week "),
    (_S + r"(?:ba3d|b3d)\s+(?:el|al|il|l)?[ -]?(?:dawam|dwam|shighl|shoghl|shoghol)" + _E, " after work "),
    (_S + r"(?:a8rab|aqrab|agrab|a9rab|asra3)\s+(?:maw3ed|maw3id|mow3ed|mo3ed|maw3ad|wa8t|waqt|wagt|fursa)" + _E,
     " earliest "),
    (_S + r"(?:ba3d|b3d)\s+(?:el|al|il|l)?[ -]?(?:dhuhr|duhr|zuhr|zohr|thuhr|thohr|dohr|6uhr|6ohr|dhohr|9ohr)" + _E,
     " afternoon "),
    (_S + r"(?:(?:ba3d|b3d)\s+)?(?:b|bel|bil|fe|fel|fil|el|al|il|l)?[ -]?(?:3asr|3aser|3sr|3asir)" + _E, " asr "),
    (_S + r"(?:(?:ba3d|b3d)\s+)?(?:b|bel|bil|el|al|il|l)?[ -]?(?:maghrib|maghreb|mughrib|maghrb|mgrb)" + _E,
     " maghrib "),
    (_S + r"(?:(?:b|bel|bil|fe|fel|fil|el|al|il|l)[ -]?(?:sob7|sobh|subh|sub7|sba7|saba7|sabah|9ba7|9abah|9ob7|9bah)"
     r"|sob7|sub7|saba7|9ba7|sba7|9abah|9ob7)" + _E, " morning "),
    (_S + r"(?:b|bel|bil|el|al|il|l)?[ -]?(?:dhuhr|duhr|zuhr|zohr|thuhr|thohr|dohr|6uhr|6ohr|dhohr|9ohr)" + _E,
     " lunchtime "),
    (_S + r"(?:(?:bel|bil|b|fel|fil|el|al|il)[ -]?(?:lail|leil|lel|layl|lil|masa|masaa|masa2|mesa)"
     r"|bellail|billail|bellel|bellil|lail|leil|layl|masa2|masaa)" + _E, " evening "),
    (_S + r"(?:kam\s+)?(?:el|al|il|l)?[ -]?(?:se3r|si3r|sa3r|as3ar|ts3ira|taklifa|taklefa)" + _E
     + r"|" + _S + r"(?:bkam|bikam|bekam)" + _E, " price "),
]
# the two bookable services, named in a message that is not about the price ("كم سعر الجلسة
# بكرة؟" asks a price; it is no request to book a session tomorrow)
_SERVICE_RULES: List[Rule] = [
    (_S + _AND + r"(?:ب|ل|ع)?(?:ال)?(?:استشاره|كونسلتيشن|كشف|معاينه)" + _E, " consultation "),
    (_S + _AND + r"(?:ب|ل|ع)?(?:ال)?(?:جلسه|جلسات|ميزو|ميزوثيرابي|ميزوثرابي)" + _E, " session "),
    (_S + r"(?:el|al|il|l)?[ -]?(?:jalsa|jalseh|jalsah|jalsat)" + _E, " session "),
    (_S + r"(?:el|al|il|l)?[ -]?(?:estishara|istishara|esteshara|isteshara|estshara)" + _E, " consultation "),
]
_ARABIZI_RULES[5:5] = _weekday_rules_zz()

# --------------------------------------------------------------------------- clock

_LEAD = (r"(?:و?(?:ال|بال|ب|عال|لل)?ساعه|(?:(?:el|al|il|l|b|bel|bil|3al|3la|3)[ -]?)?"
         r"(?:sa3a|sa3ah|saa3a|s3a|sa3eh))\s*")
_FRACTION = (r"(?:\s*(?:و|w|wa|o|u|we)\s*-?(?P<plus>نص|نصف|ربع|ثلث|nus|nuss|nos|noss|nass|rub3|rob3|rube3|rubu3|"
             r"thilth|tilt|thelth|telt)"
             r"|\s*(?:الا|ila|illa|ella|ela)\s*(?P<minus>ربع|ثلث|rub3|rob3|rube3|thilth|tilt|thelth))")
_AMPM = r"\s*(?P<ampm>ص|صباحا|م|مساء|مساءا|am|pm)(?!\w)"
_PM_PARTS = ("asr", "maghrib", "evening", "tonight", "afternoon")
_CLOCK = re.compile(
    r"(?<![\w/.:\-])(?<!at )(?P<lead>" + _LEAD + r")?(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?(?![\d/])"
    r"(?P<fraction>" + _FRACTION + r")?(?:" + _AMPM + r")?"
    r"(?P<part>\s+(?:morning|lunchtime|afternoon|asr|maghrib|evening|tonight)\b)?")
_AFTER_CLOCK = re.compile(r"(?<!\w)(?:بعد|ba3d|b3d)\s+(?:" + _LEAD + r")?(?=\d)")
_HALF = {"نص", "نصف", "nus", "nuss", "nos", "noss", "nass"}
_QUARTER = {"ربع", "rub3", "rob3", "rube3", "rubu3"}


def _clock(match: re.Match, text: str) -> str:
    hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
    ampm = match.group("ampm")
    if not (match.group("lead") or match.group("fraction") or ampm or match.group("part")):
        return match.group(0)  # a bare number is not a time
    plus, minus = match.group("plus"), match.group("minus")
    if plus and not match.group("minute"):
        minute = 30 if plus in _HALF else 15 if plus in _QUARTER else 20
    elif minus and not match.group("minute"):
        hour, minute = (hour - 1) % 24 or 12, 45 if minus in _QUARTER else 40
    if ampm in ("ص", "صباحا", "am"):
        ampm = "am"
    elif ampm:
        ampm = "pm"
    elif hour <= 12:
        if re.search(r"\b(?:" + "|".join(_PM_PARTS) + r")\b", text):
            ampm = "pm"
        elif re.search(r"\bmorning\b", text):
            ampm = "am"
        elif re.search(r"\blunchtime\b", text):
            ampm = "am" if hour in (10, 11) else "pm"
    if hour > 23 or minute > 59 or (ampm and not 1 <= hour <= 12):
        ampm = None
    clock = f"{hour}:{minute:02d}" + (f" {ampm}" if ampm else "")
    return f" at {clock}{match.group('part') or ''} "


def _hour_words(text: str) -> str:
    """"الساعة خمسة" / "الساعة الخامسة" -> "الساعة 5"."""
    for words, number in reversed(list(_HOUR_WORDS.items())):  # "الثانية عشرة" before "الثانية"
        text = re.sub(r"(" + _LEAD + r")" + words + _E, rf"\g<1>{number}", text)
    return text


def _apply(rules: List[CompiledRule], text: str) -> str:
    for pattern, replacement in rules:
        text = re.sub(pattern, replacement, text)
    return text


_COMPILED: Optional[Tuple[List[CompiledRule], ...]] = None


def _rules() -> Tuple[List[CompiledRule], ...]:
    global _COMPILED
    if _COMPILED is None:
        _COMPILED = tuple([(re.compile(p), r) for p, r in rules]
                          for rules in (_ARABIC_RULES, _ARABIZI_RULES, _SERVICE_RULES))
    return _COMPILED


def needs_reading(text: str) -> bool:
    """Whether ``text`` has Arabic letters or digits, or an Arabizi day/time word."""
    return bool(_TRIGGER.search((text or "")[:MAX_TEXT].lower()))


def to_english(text: str) -> str:
    """The Arabic and Arabizi day, time and service words of ``text`` as the English words
    :mod:`clinic.booking.dates` reads; other words are kept (normalised). English-only text
    is returned unchanged.

    >>> to_english("بكرة الساعة ٥").split()
    ['tomorrow', 'at', '5:00']
    >>> to_english("bukra 5 l3asr").split()
    ['tomorrow', 'at', '5:00', 'pm', 'asr']
    """
    text = (text or "")[:MAX_TEXT]
    if not needs_reading(text):
        return text
    return _to_english(text)


@lru_cache(maxsize=2048)  # a turn reads the same message several times (forms, offer, replies)
def _to_english(text: str) -> str:
    text = normalise_arabic(text)  # lower case, one spelling, ASCII digits
    arabic, arabizi, services = _rules()
    text = _hour_words(text)
    text = _apply(arabic, text)
    text = _apply(arabizi, text)
    if not re.search(r"\bprice\b", text):
        text = _apply(services, text)
    # "بعد الساعة ٥" is a lower bound: "after 5" (with a.m./p.m. when a part of the day says it)
    text = _AFTER_CLOCK.sub(" after ", text)
    text = _CLOCK.sub(lambda m: _clock(m, text), text)
    text = re.sub(r"\b(after|at)\s+at\s+", r"\1 ", text)
    return " ".join(text.split())
