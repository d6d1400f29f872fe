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
    r"|في حال|(?:اذا|لو) (?:صار|طلع|طلعت|جاني|جاتني|حسيت)|هل (?:في |فيه )?(?:احد|حد)"
    r"|momken ysabbeb|mumkin ysabbeb|ysabbeb|ysabeb|(?:law|iza|eza|itha) (?:sar|9ar|tala3)|3alamat|a3rad|a3raad|3awarid|ma5ater|mokhater|makhater|adrar)(?=\s|$)")

# (label, pattern) over normalised text; Arabic words may carry the prefixes و ف ب ل ال
_P = r"(?:^|\s|[وفبل]|ال|وال|بال)"
_E = r"(?=\s|$|[.,!?])"


def _ar(words: str) -> str:
    return _P + "(?:" + words + ")"


# "cannot" as Gulf, Egyptian, Levantine and Moroccan Arabic write it: "ما اقدر", "مش قادرة",
# "ما عم اقدر", "مش عارفة" (Egyptian for "can't"), "ما بقدر", "مقدرتش"
_NEG_AR = r"(?:ما|مو|مش|مب|موب|ماني|مانيش|لم|لا)"
_ABLE_AR = r"(?:اقدر|اقدرش|قادر|قادره|بقدر|بقدرش|نقدر|قدرت|قدرتش|عارف|عارفه|اعرف|بعرف|استطيع|استطعت)"
_NO_LONGER_AR = r"(?:ما\s*عاد|ما\s*عادت|ما\s*عدت|بطلت|بطل|بطلنا|صرت ما|صار ما|صارت ما)"
_CANT_AR = (r"(?:(?:" + _NEG_AR + r"|" + _NO_LONGER_AR + r")\s*(?:عم\s*|قاعد\s*|قاعده\s*)?" + _ABLE_AR +
            r"|مقدرتش|ماقدرت|ماقدرتش|مااقدر|مابقدر|مقدرش|صعب|صعبه|بصعوبه|عجزت عن|عجزت)")
# a person, the face or the lips, for a colour that means too little oxygen ("ولدي صار ازرق",
# "بنتي وجهها ولى زرق"); a blue spot or bruise is vascular.colour
_PERSON_AR = (r"(?:ولدي|ابني|بنتي|ولده|ابنه|بنته|ولدها|ابنها|بنتها|الطفل|الطفله|البيبي|الرضيع|زوجي|زوجتي|امي"
              r"|ابوي|اختي|اخوي|وجهي|وجهه|وجهها|وشي|وشه|وشها|لوني|لونه|لونها|جسمي|جسمه|جسمها|شفايفه|شفايفها"
              r"|شفته|شفتها|شفاهه|شفاهها|اظافري|اظافره|اظافرها)")
_BLUE_AR = r"(?:زرق|زرقت|ازرق|ازرقت|زرقا|زرقاء|رمادي|رصاصي)"
# a face, skin or treated place, for heat and burning ("وجهي يولع نار")
_SKIN_AR = r"(?:وجهي|وشي|بشرتي|جلدي|خدي|خدودي|شفايفي|رقبتي|المكان|مكان الابر|مكان الابره|مكان الحقن|يدي|ايدي|ايديها)"
# "مره" is "very" in the Gulf, and also "a time": "اول مرة", "مرة وحدة" are no intensity
_ONCE_NOT = r"(?<!اول )(?<!كل )(?<!اخر )(?<!ثاني )(?<!اخير )(?<!هذي )(?<!ذي )"
# intensifiers across dialects (Gulf واجد/وايد/مره/حيل, Egyptian اوي, Levantine كتير, Moroccan بزاف)
_VERY_AR = r"(?:كثير|كتير|واجد|وايد|" + _ONCE_NOT + r"مره(?!\s*(?:وحده|واحده|ثانيه|ثالثه|الجايه|الماضيه|اللي))|حيل|بالحيل|شديد|شديده|قوي|اوي|جدا|بزاف|فظيع|رهيب|بشكل كبير|مو طبيعي|مش طبيعي)"
# too much to bear: "لا يطاق", "ما ينطاق", "ما يتحمل"
_UNBEARABLE_AR = r"(?:لا|ما|مو|مش)\s*(?:ي|ت)?(?:طاق|نطاق|حتمل|تحمل|نحمل|نتحمل|تنحمل)"


RULES: List[Tuple[str, Pattern]] = [(label, re.compile(pattern)) for label, pattern in [
    ("infection.pus", _ar(r"صديد|قيح|افراز(?:ات)?(?:ه|ها)?(?=\s|$|[.,!?])(?!\s*(?:ال)?(?:دهون|دهني|دهنيه|زيتي|زيتيه|زيوت|عرق|غدد|هرمون|هرمونات))|صديده|حبوب (?:بيضا|بيضاء|بيض|صفرا|صفراء)"
                             r"|(?:سائل|ماي|مويه|ماء) (?:اصفر|صفر|اخضر|عكر)|ملتهب|ملتهبه"
                             # a bad smell from the place: "فيها ريحة", "ريحته خايسة"
                             r"|(?:فيه|فيها|طالع|طالعه|منه|منها|له|لها)\s+ريحه|ريحه\s+(?:كريهه|خايسه|وحشه|بشعه|معفنه|نتنه|مو زينه)"
                             r"|ريحته\s+(?:كريهه|خايسه|وحشه|بشعه|معفنه)") +
     r"|\b(?:sadeed|sadid|sadiid|9adeed|qee7|qai7)\b"),
    ("infection.fever", _ar(r"حراره(?!\s*(?:ال)?(?:شمس|جو|طقس|غرفه|ماء|مويه|ميه|جهاز|اجهزه|ليزر|صيف|سونا|ساونا|حمام"
                            r"|بخار|سياره|مكيف))|حرار[هت]ي|(?:حمي|حماي)(?=\s|$|[.,!?])|سخونه|سخونيه|صخونه|صخونيه|قشعريره|رعشه") +
     r"|\b(?:7arara|7rara|harara|7ararah|7ararti|7omma|homma|sokhoneh|sa5oneh|s5oneh)\b"),
    ("infection.sepsis", _ar(r"تسمم(?!\s*(?:ال)?غذا)|تعفن (?:في )?(?:ال)?دم|انتان|انتان دموي|التهاب الدم") +
     r"|\b(?:tasammom|tasamom|tasammum)\b"),
    ("allergic.airway", _ar(r"ضيق (?:في )?(?:ال)?(?:تنفس|نفس)|صعوب[هت] (?:في )?(?:ال)?(?:تنفس|بلع)|اختناق(?!\s*مروري)|اختنق|كتمه") +
     r"|" + _ar(r"(?:ما|مو|مش|ما اقدر|مااقدر|ما قادر|صعب|ماني قادر)\s*(?:ا|ن)?(?:تنفس|بلع|ابلع)") +
     r"|" + _ar(_CANT_AR + r"\s*(?:عن\s*)?(?:ا|ن|ب)?(?:تنفس|اتنفس|التنفس|بلع|ابلع|البلع|اخذ نفس|اخد نفس|اخذ نفسي)") +
     r"|\b(?:mish|msh|ma|mu|mani|9a3b|sa3b|sa3eb)\s+(?:3am\s+|3m\s+)?(?:2ader|2dar|a2dar|e2dar|i2dar|gader|qader|2adra|gadra|9a3b|a8dar|8ader|8adra|agdar|aqdar|a9dar|9ader)?\s*"
     r"(?:atnaffas|atnafas|atnafis|tnaffos|etnafas|etnaffas|itnaffas|abla3|ebla3)\b|\b(?:di2|dee2|9ee8) (?:b)?(?:el)?(?:nafas"
     r"|tanaffos)\b"),
    ("allergic.throat", _ar(r"(?:لساني|لسان|حلقي|حلق|زوري|بلعومي)\s*(?:\S+\s+){0,2}(?:متورم|منتفخ|ورم|تورم|انتفخ|مسكر|يسكر|ضيق|يضيق|ضاق|يتسكر|مقفل|يقفل|ينقفل|ثقيل|ثقيله|تقيل|تقيله|منفوخ|منفوخه|وارم|وارمه)") +
     r"|\b(?:lsani|lisani|lsan|7al2i|7algi|7al8i|zori)\s+(?:\S+\s+)?(?:mtawarem|metwarrem|monfakh|mntefekh|msakar|m9akar|ta2eel|t8eel)\b"),
    ("allergic.voice", _ar(r"(?:صوتي|صوته|صوتها)\s*(?:\S+\s+)?(?:تغير|تغيرت|متغير|مبحوح|انبح|راح|اختفي|ثقيل|تقيل|مو طبيعي|مش طبيعي)")),
    ("systemic.vision", _ar(r"(?:فقدت|فقد|فقدان|خسرت)\s+(?:ال)?(?:بصري|نظري|بصر|نظر|رويه)|(?:ما|مو|مش|ما اقدر|مااقدر)\s*(?:ا|ن)?شوف|نظري\s*(?:\S+\s+)?(?:ضعف|تغير|راح|مغبش|مشوش|غباش)|غباش|زغلله|(?<=ال)عمي(?=\s|$|[.,!?])|عميت|اعمي(?=\s|$|[.,!?])|رويه مشوشه|اشوف دبل|اشوف ضبابي"
                            # "نظري صار ضعيف فجأة", "اشوف الدنيا ضبابية", "بشوف كل شي دبل"
                            r"|(?:نظري|بصري|شوفي)\s*(?:صار|صارت|بدا|قاعد|عم|فجاه)\s*(?:\S+\s+)?(?:ضعيف|يضعف|ضعف|مشوش|مغبش|خفيف)"
                            r"|(?:ضعف|تغير|قل|راح)\s+(?:نظري|بصري)"
                            r"|(?:اشوف|بشوف|عم شوف|شايف|شايفه)\s*(?:\S+\s+){0,2}(?:ضبابي|ضبابيه|مغبش|مغبشه|مشوش|مشوشه|دبل|مزدوج"
                            r"|زغلله|غباش|ظلام|مظلم|مظلمه|سواد|اسود)") +
     # "ما عم شوف منيح" (Levantine), "مش شايفة" (Egyptian), "ما بشوف", "عيني مغبشة", "عيني راحت"
     r"|" + _ar(r"(?:" + _NEG_AR + r"|" + _NO_LONGER_AR + r")\s*(?:عم\s*|قاعد\s*|قاعده\s*)?(?:" + _ABLE_AR + r"\s*)?(?:ا|ن|ب|ت)?شوف"
                r"|(?:مش|ما|مو|مب)\s*شايف|(?:مش|ما|مو|مب)\s*شايفه"
                r"|(?:عيني|عيوني|عينيا|نظري|بصري|الرويه|شوفي)\s*(?:\S+\s+){0,2}(?:مغبش|مغبشه|غبش|غبشه|تغبش|زغلل|تزغلل"
                r"|مزغلل|مزغلله|بتزغلل|مشوش|مشوشه|ضبابي|ضبابيه|ضعف|ضعفت|راح|راحت|مظلم|مظلمه|سودا)") +
     r"|\b(?:ma|mish|msh|mu)\s+(?:2ader\s+|a2dar\s+|3am\s+|3m\s+)?(?:ashoof|ashuf|bshuf|bashoof|bshoof|shoof|shuf|shayef|shayfeh)\b|\b(?:nazari|na9ari)\s+(?:(?:\S+\s+)?(?:m8abash|mghabash)|(?:\S+\s+)?(?:sar|9ar|saar|saret|9aret|bada)\s+da3if)\b"),
    ("systemic.cyanosis", _ar(r"(?:شفايفي|شفايف|شفتي|شفتاي|شفاهي|شفه|شفاه)\s*(?:\S+\s+){0,2}(?:زرق|ازرق|زرقاء|زرقا|رمادي|رصاصي)") +
     # a person or a face turning blue: "ولدي صار ازرق", "بنتي وجهها ولى زرق" (not a blue spot: see _context_allows)
     r"|" + _ar(_PERSON_AR + r"\s*(?:\S+\s+){0,3}" + _BLUE_AR) + _E +
     # turning blue with no place named: "بعد ما ولى زرق" (he turned blue)
     r"|" + _ar(r"(?:صار|صارت|ولي|ولات|تحول|تحولت|قلب|قلبت)\s*(?:لونه\s*|لونها\s*|لوني\s*)?" + _BLUE_AR) + _E +
     r"|\b(?:shfayfi|shfafi|sh?afaifi|shafati)\s+(?:\S+\s+)?(?:zar2a|zar8a|zarqa|zarga|azra2|azra8|azraq|zer2a|ramadi)\b"
     r"|\b(?:sar|saret|sarat|9ar|9arat|wala|walla|tghayar|t8ayar)\s+(?:lono|lona|lawno|lawna|lawni|loni|wejho|wejha)?\s*"
     r"(?:azra2|azra8|azraq|zar2a|zar8a|zarqa|zarga|ramadi)\b"),
    ("vascular.colour", _ar(r"ازرق|زرقاء|زرقا|رمادي|رصاصي|اسود|اسودت|ازرقت|ابيض وبارد|بارد ولونه|(?:زرق|زرقت|زرقه|سودا|سوده|سودت)" + _E +
                               r"|تغير لونه|تغير لونها|تغير لوني|لونه تغير|لونها تغير|لوني تغير"
                               r"|(?:شفتي|شفايفي|انفي|خدي|جلدي|وجهي|الجلد|المكان|ذقني|شفته|شفتها|انفه|انفها)\s*(?:\S+\s+){0,2}"
                               r"(?:صار|صارت|اصبح|اصبحت|قلب|قلبت|ولي|ولات|تحول|تحولت)\s*(?:\S+\s+)?(?:ابيض|بيضا|بيضاء|شاحب|باهت"
                               r"|غامق|غامقه|داكن|داكنه|بنفسجي|موف)" +
                               r"|(?:الجلد|جلدي|المكان|مكان الابره|مكان الحقنه)\s*(?:\S+\s+){0,1}(?:ابيض|بيضا|شاحب)")
     + r"|\b(?:jildi|jeldi|el jild|el mkan)\s+(?:\S+\s+)?(?:abyad|abya9|bay9a|bayda|sha7eb)\b" + r"|\b(?:azra2|zar2a|ramadi|aswad)\b"),
    ("systemic.faint", _ar(r"اغمي|اغماء|اغمى|انغمى|غمي علي|غميت|فقدت الوعي|طحت"
                           # a coma, a fit, eyes rolling back: "دخلت في غيبوبة", "صار عنده تشنجات", "عيونها قلبت"
                           r"|غيبوبه|تشنجات|تشنجت|يتشنج|تتشنج|نوبه تشنج|نوبه صرع|صرع"
                           r"|(?:عيونه|عيونها|عيني|عيوني|عينيه|عينيها|عينه|عينها)\s*(?:\S+\s+)?(?:قلبت|تقلبت|انقلبت|تقلب"
                           r"|بتقلب|راحت لفوق|طلعت لفوق)"
                           # not answering any more (not "the clinic does not answer": صار ما يرد)
                           r"|(?:صار|صارت|وصار|وصارت|عاد)\s*(?:ما|مو|مش)\s*(?:يرد|ترد|يستجيب|تستجيب|يصحي|تصحي|يفوق|تفوق|يحس|تحس)"
                           r"|(?:ما|مو|مش)\s*(?:يستجيب|تستجيب|يصحي|تصحي)"
                           r"|فاقد الوعي|فاقده الوعي|مو واعي|مش واعي|مو واعيه|مش واعيه") +
     r"|\b(?:oghmi|ghmi|ghumi|o4mi|yoghma|yighma|yoghmi|ighma|oghma|ghmit|ghmet)\b"),
    ("systemic.dizzy", _ar(r"دوخه|دايخ|دايخه|دوار|دايخة|دخت|بدوخ|عم دوخ"
                           # the head or the room spinning: "راسي يلف", "الدنيا بتلف فيني"
                           r"|(?:راسي|راسه|راسها|الدنيا|الغرفه|كل شي)\s*(?:\S+\s+)?(?:يلف|بيلف|تلف|بتلف|تدور|بتدور|يدور|دايره|دايرة)") +
     r"|\b(?:dokha|daye5|dayekh|daykha|dukh|bdukh|dou5|doo5|dawkha)\b"
     r"|\b(?:rasi|ra2si|el denye|eddenye|el donya)\s+(?:3am\s+|3m\s+)?(?:ylef|yleff|bilef|dayer|dayra|yedor|ydoor|biddor|tlef|btlef)\b"),
    # a big swelling is one, as in English ("ورم كبير", "waram kbeer w yzeed")
    ("swelling.severe", _ar(r"(?:متورم|منتفخ|تورم|انتفاخ|ورم|منفوخ|وارم|وارمه|مورم|مورمه)\s*(?:\S+\s+){0,2}و?(?:" + _VERY_AR +
                            r"|يزيد|يكبر|بزياده)|(?:تورم|انتفاخ|ورم) (?:شديد|كبير|ضخم)") +
     r"|\b(?:mtawarem|metwarrem|mntefekh|manfookh|waram|ntifakh)\s+(?:\S+\s+){0,2}(?:kteer|ktir|wayed|wayid|marra|shdeed|yzeed|ykbar"
     r"|kbeer|kbir|kebir|kabeer|ekbeer|da5m|dakhm)\b"),
    ("swelling.site", _ar(r"(?:عيني|عيوني|عين|شفايفي|شفتي|شفايف|وجهي|وجه|وشي|وشها|وشه|خدي|خدودي|جفني|جفوني)\s*(?:\S+\s+){0,1}"
                          r"(?:متورم|متورمه|منتفخ|منتفخه|تورم|انتفخ|انتفخت|وارم|وارمه|ورمان|ورمانه|مورم|مورمه|منفوخ|منفوخه)"
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
    ("infection.heat", _ar(_SKIN_AR + r"\s*(?:\S+\s+){0,3}و?(?:يولع|بيولع|عم يولع|ولع|مولع|مولعه|تولع|بتولع|يحترق|بيحترق"
                                        r"|تحترق|بتحترق|(?:زي|مثل|كانه|كنه)\s*(?:ال)?نار|نار)") + _E +
     r"|" + _ar(r"(?:يحرقني|بيحرقني|تحرقني|بتحرقني|حارقني|يلسعني)\s*(?:" + _VERY_AR + r"|بقوه)") +
     r"|\b(?:ye7ra2ni|bye7ra2ni|ta7ra2ni|bt7ra2ni|7ar2ani|ye7ra2|bye7ra2|yola3|byola3)\s+(?:\S+\s+)?"
     r"(?:kteer|ktir|ktiir|wayed|marra|nar|shi nar)\b"),
    # burns from a peel, a laser or a device: "طلعت لي حروق", "وجهي انحرق", "حرق في بشرتي" (not "حرق الدهون", fat burning)
    ("tissue_damage.burn", _ar(r"حروق(?!\s*(?:ال)?شمس)|حريق|انحرق|انحرقت|اتحرق|اتحرقت|احترق|احترقت|محروق|محروقه"
                               r"|حرق\s+(?:في\s+|ب)?(?:وجهي|وشي|بشرتي|جلدي|يدي|ايدي|رقبتي|الوجه|الجلد|البشره)") + _E +
     r"|\b(?:7orou2|7rou2|7ro2|7arou2|n7ara2|in7ara2|ma7roo2|ma7rou2)\b"),
    # weakness after a toxin: "عجزت عن فتحهما" (I could not open them), "شفتي لا تتحرك" (my lip does not move)
    ("weakness.cant_open", _ar(r"(?:عجزت|ما قدرت|ماقدرت|لم اقدر|لم استطع|ما اقدر|مااقدر|ما اقدرش|صعب)\s*"
                               r"(?:عن )?(?:ال)?(?:فتح|افتح|اسكر|اغمض|اغلق)") +
     # "مش قادرة افتح عيني", "ما عم اقدر سكر عيني"
     r"|" + _ar(_CANT_AR + r"\s*(?:عن\s*)?(?:ا|ب)?(?:فتح|افتح|سكر|اسكر|غمض|اغمض|اغلق|تفتح)") +
     r"|" + _ar(r"(?:عيني|عيوني|جفني|عينه|عينها|فمي|تمي|بقي)\s*(?:\S+\s+){0,1}(?:ما|مو|مش|لا)\s*(?:ت|ي)?(?:سكر|تسكر|يسكر"
                r"|تغمض|يغمض|تنفتح|ينفتح|تفتح|يفتح|تتسكر|يتسكر|تنسكر|ينسكر)") +
     r"|\b(?:ma|mish|msh|mu)\s+(?:3am\s+|3m\s+)?(?:2ader|a2dar|e2dar|i2dar|gader|agdar)\s+(?:afta7|aftah|efta7|eftah|asaker|sakker"
     r"|asakker|ghammed|ghammid)\b"
     r"|\b(?:3ayni|3ayne|3eni|3youni|jefni|tme|tummi|fommi)\s+(?:\S+\s+)?(?:ma|mish|msh|mu)\s+(?:3am\s+|3m\s+)?"
     r"(?:tsakker|tsaker|tetsakkar|tghammed|tefta7|teftah|tfta7|yefta7|ysakker)\b"),
    ("weakness.cant_move", _ar(r"(?:شفتي|شفايفي|شفتاي|وجهي|جفني|عيني|فمي|حاجبي)\s*(?:\S+\s+){0,1}"
                               r"(?:لا|ما|مو|مش)\s*(?:تتحرك|يتحرك|تحرك|يتحركش)"
                               r"|(?:نصف|نص) وجهي\s*(?:\S+\s+){0,1}(?:نازل|مايل|مشلول|متجمد|طايح|ثقيل|ما يتحرك"
                               r"|لا يتحرك)"
                               r"|وجهي مشلول")),
    ("weakness.droop", _ar(r"(?:جفني|جفن|جفوني|جفونها|حاجبي|حواجبي|حاجب|عيني)\s*(?:\S+\s+){0,1}(?:نازل|نازله|نزل|نزلت|طايح|طايحه"
                           r"|طاح|طاحت|هابط|هابطه|هبط|هبطت|مرتخي|مرتخيه|ساقط|ساقطه|متدلي|متدليه|تدلي|متهدل|متهدله)"
                           r"|(?:جفني|جفوني|عيني)\s*(?:\S+\s+){0,1}(?:ثقيل|ثقيله|تقيل|تقيله)") + _E),
    ("worsening.worse", _ar(r"(?:حالتي|الحاله|الوضع|الالم|الوجع|التورم|الورم|الاحمرار|الحروق|الحرق|الحكه|الصديد|الانتفاخ"
                            r"|الالام|الالتهاب|البقعه|الجرح)\s*(?:\S+\s+){0,1}"
                            r"(?:ساءت|تسوء|يسوء|اسوا|اسوء|صارت اسوا|صار اسوا|تزيد سوء|يزيد|يزداد|قاعد يزيد|تزيد|زاد|زادت|تزداد"
                            r"|ازداد|ازدادت|بيزيد|بتزيد|اشتد|يشتد|تفاقم|يتفاقم)"
                            r"|زياده\s*(?:في\s*)?(?:ال)?(?:الم|الام|وجع|تورم|ورم|احمرار|حروق|انتفاخ|صديد|حكه)" + _E +
                            r"|(?:ساءت|ازدادت سوءا)\s*(?:\S+\s+){0,1}(?:حالتي|الحاله)"
                            r"|(?:الم|وجع)" + _E + r"\s*(?:\S+\s+){0,1}(?:اسوا|اسوء|اشد)")),
    ("lump.growing", _ar(r"(?:الورم|ورم|الكتله|كتله|الحبه|حبه|الانتفاخ|انتفاخ|تكتل|التكتل|عقده|العقده)\s*(?:\S+\s+){0,4}و?"
                         r"(?:يكبر|كبر|تكبر|كبرت|يزيد|تزيد|يزداد|تزداد|قاعد يكبر|قاعده تكبر|عم يكبر|عم تكبر|بيكبر|بتكبر)")
     # a hard or inflamed lump: "حبة قاسية تحت الجلد", "كتلة حمرا وتوجع"
     + r"|" + _ar(r"(?:كتله|تكتل|عقده|كوره|نتوء|حبه)\s*(?:\S+\s+){0,1}(?:قاسيه|قاسي|صلبه|صلب|ملتهبه|ملتهب)"
                  r"|(?:كتله|تكتل|عقده|نتوء)\s*(?:\S+\s+){0,1}(?:حمرا|حمراء|مؤلمه|مولمه|توجع|تالم)") + _E
     + r"|\b(?:el ?)?(?:waram|war(?:a|u)m|kutla|7abba)\s+(?:\S+\s+)?(?:ykbar|yikbar|kbir|yzeed|tkbar|3am yikbar)\b"),
    ("pain.severe", _ar(r"اسوا\s+(?:ال)?(?:الم|وجع)" + _E + r"|(?:الم|وجع|اوجاع|الام|المي|وجعي|وجعه|وجعها|اوجاعي|الامي)" + _E +
                        r"\s*(?:\S+\s+){0,1}(?:شديد|قوي|كثير|واجد|وايد|ما يتحمل|مايتحمل|فظيع)|يوجعني (?:كثير|واجد|وايد|مره)"
                        r"|(?:الم|وجع|اوجاع|الام|المي|وجعي|وجعه|وجعها|اوجاعي|الامي)" + _E + r"\s*(?:\S+\s+){0,1}(?:" + _VERY_AR + r"|" + _UNBEARABLE_AR + r"|اشتد|يشتد)"
                        r"|(?:يوجعني|بيوجعني|يعورني|بيوجع|توجعني)\s*(?:" + _VERY_AR + r")|شده (?:ال)?(?:الم|وجع)" + _E +
                        # the pain keeps one from sleeping or moving: "ما قدرت انام من الالم"
                        r"|(?:انام|نام|اتحرك|تحرك|امشي|اشتغل)\s*(?:\S+\s+){0,2}من\s*(?:ال)?(?:الم|وجع|الوجع)" + _E) +
     r"|\b(?:wja3|waja3|wajaa|alam)\s+(?:\S+\s+)?(?:shdeed|kteer|wayed|2awi|gawi)\b"
     r"|\b(?:nam|anam|nem|et7arrak|at7arrak|emshi|amshi)\s+(?:\S+\s+)?(?:mn|min|men)\s+(?:el\s*)?(?:wja3|waja3|alam)\b"),
    ("worsening.spread", _ar(r"(?:الاحمرار|احمرار|الحمار|حمار)\s*(?:\S+\s+){0,1}(?:يزيد|ينتشر|يكبر|زاد|انتشر)|ينتشر|قاعد يزيد"
                             # "الاحمرار منتشر لرقبتي", "التورم وصل لعيني"
                             r"|(?:الاحمرار|احمرار|الحمار|حمار|التورم|تورم|الورم|الانتفاخ|الطفح|الالتهاب|الزرقه)\s*(?:\S+\s+){0,1}"
                             r"(?:منتشر|منتشره|انتشرت|تنتشر|امتد|امتدت|يمتد|تمتد|وصل|وصلت|واصل|واصله)") +
     r"|\b(?:a7mirar|a7mrar|ahmirar)\s+(?:\S+\s+)?(?:yzeed|byzeed|yentsher|3am yzeed)\b"),
    ("allergic.itch", _ar(r"(?:حكه|الحكه|حكاك|هرش|الهرش)\s*(?:\S+\s+){0,1}(?:" + _VERY_AR + r"|" + _UNBEARABLE_AR + r")"
                          r"|(?:يحكني|تحكني|بيحكني|بتحكني|يهرشني|بيهرشني|هارشني)\s*(?:\S+\s+){0,1}(?:" + _VERY_AR + r"|بقوه|بجنون)") +
     r"|\b(?:7ake|7akke|7ekke|7akkeh|bi7ekni|bt7ekni|y7ekni)\s+(?:\S+\s+)?(?:kteer|ktir|wayed|marra|shdeede|shdeed|fazi3a|faze3a"
     r"|fazee3a|fazi3)\b"),
    ("allergic.rash", _ar(r"طفح|شري(?=\s|$|[.,!?])|حساسيه (?:في|علي) (?:كل )?(?:جسمي|الجسم)|حكه في (?:كل )?جسمي|حبوب\s*(?:\S+\s+){0,1}(?:في|علي) (?:كل )?(?:جسمي|الجسم)|حبوب فيها صديد"
                          # the whole body first: "جسمها كله حبوب حمرا", "بقع في جسمي كله"
                          r"|(?:جسمي|جسمها|جسمه|الجسم)\s*(?:كله|كلها|كامل)\s*(?:\S+\s+){0,1}(?:حبوب|طفح|بقع|نقط|حكه|احمرار|شري)"
                          r"|(?:حبوب|بقع|نقط|حكه|احمرار)\s*(?:\S+\s+){0,2}(?:في|علي)\s*(?:جسمي|جسمها|جسمه|الجسم)\s*(?:كله|كلها|كامل)") +
     # Arabizi: "7ake bi kell jesmi", "7boob 3ala kol jismi"
     r"|\b(?:7ake|7akke|7ekke|7bob|7boob|7obob|ra7|7asasiye|7assasiye|7sasiye|7asasiya)\s+(?:\S+\s+){0,2}(?:bi|b|fi|3ala|3la)\s*"
     r"(?:kell|kel|kol|kull|kl)\s*(?:jesmi|jismi|jesme|jismy|jasadi|jesm|jism)\b"),
    ("tissue_damage.bleeding", _ar(r"(?:الدم|دم|دمي|النزيف|نزيف)\s*(?:\S+\s+){0,1}(?:ما|مو|مش|لا)\s*(?:ي|ت)?(?:وقف|يوقف|توقف|يقف"
                                   r"|راضي يوقف|عم يوقف|بيوقف)|نزيف\s*(?:" + _VERY_AR + r"|ما يوقف|مستمر)|ينزف\s*(?:" + _VERY_AR + r"|بقوه)") +
     # Arabizi: "dam ma yo9ef", "el nazeef mish 3am ywa2ef"
     r"|\b(?:el\s*)?(?:dam|damm|nazeef|nazif)\s+(?:\S+\s+)?(?:ma|mu|mo|mish|msh|la)\s+(?:3am\s+|3m\s+)?"
     r"(?:yo9ef|yoqaf|yo2af|yu2af|yoqef|yw2af|ywa2ef|ywaqef|ywa9ef|ywagef|ywgaf|bywa2ef|bywaqef|bywa9ef)\b"),
    ("tissue_damage.blister", _ar(r"فقاعات|فقاعه|فقاقيع|فقعات|نفاطات|نفطات|حبوب (?:ماي|مويه|ماء|مياه)|بثور|قرحه|جرح مفتوح|الجلد (?:\S+\s+)?(?:يتقشر ويطلع دم|مات|ميت)")),
    # an emergency service already involved: "نقلوني الطوارئ", "قعدت في العناية المركزة", "اضطريت أقعد 10 أيام
    # في المستشفى", "جابوا الإسعاف" (not "رقم الطوارئ", a mother's planned operation: see find_signs)
    ("systemic.hospital", _ar(r"العنايه المركزه|العنايه الفائقه|العنايه المشدده|الانعاش|سياره الاسعاف|سياره اسعاف"
                              r"|(?:نقل|انقل|ود|اخذ|اخد|خذ|دخل|ادخل|رقد|نوم|تنوم|حجز|انحجز|اسعف|جاب|جب|قعد|اقعد|رح|راح|وصل)\S*"
                              r"\s*(?:\S+\s+){0,4}?(?:ال|لل|ل|ب|بال|في ال|علي ال|الي ال)?(?:طواري|مستشفي|اسعاف|عنايه)") + _E +
     r"|\b(?:ana|ne7na|howe|hiye|ebni|binti|jabou|jabo|n2alouni|n2alou|wadouni|wadouh|wadouna|fatt|fetet|rohet|ro7t|ro7na)\s+"
     r"(?:\S+\s+){0,2}(?:bl|bel|fil|fl|3al|la|lal|3ala|ila)\s*(?:mostashfa|mustashfa|mostashfe|tawari2|tawari|tawaree"
     r"|emergency|urgence)\b"),
]]

EMERGENCY = frozenset({"allergic.airway", "allergic.throat", "allergic.voice", "systemic.vision", "systemic.cyanosis",
                       "systemic.faint", "systemic.hospital"})
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
                if not _negated(clause, match.start(), label, match.group(0)) and \
                        _context_allows(label, clause, match.group(0), norm, clause[:match.start()]):
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


# the context some signs need (as clinic.triage.engine's _context_allows for English)
# a story of one's childhood: "كان عندي تشنجات وانا صغيرة"
_YOUTH = re.compile(r"وانا صغير|وانا صغيره|لما كنت صغير|لما كنت صغيره|في طفولتي|من وانا صغير|من صغري|من طفولتي"
                    r"|وانا طفل|وانا طفله|lamma kent zghir|w ana zghir|w ana sghir|w ana zghire")
# an event dated well in the past ("السنة الماضية", "قبل سنتين"), and a question about a treatment to come
_LONG_AGO = re.compile(r"السنه الماضيه|السنه اللي فاتت|العام الماضي|العام اللي فات|الشهر الماضي|الشهر اللي فات"
                       r"|قبل (?:\S+ )?(?:سنه|سنتين|سنين|سنوات|اشهر|شهور)")
_ASKS_AHEAD = re.compile(r"(?:^|\s)(?:تقدر|اقدر|يقدر|نقدر|ينفع|يصلح|يناسب|يناسبني|اسوي|تسوي|احجز|نحجز)(?=\s|$)")
# a figure of speech: "اختنقت من الزحمة", "راسي يلف من كثر الاسعار" (as English "i almost fainted when i saw the price");
# choking and a spinning head only (fainting in a crowd or from fear at a needle is real)
_FIGURE = re.compile(r"(?:^|\s)من\s+(?:كثر\s+)?(?:ال)?(?:زحمه|اسعار|سعر|ضحك|فرحه|انتظار|تاخير|تاخيركم|كلام|اتصالات|رسايل"
                     r"|شغل|دراسه|امتحانات|زعل|قهر|طفش|ملل)(?=\s|$|[.,!?])")
# a condition one lives with ("عندي ربو وضيق تنفس احيانا", "عندي صرع", "وجهي منفوخ من الكورتيزون"), told to ask
# about a treatment to come ("ينفع اسوي الميزو؟", "الميزو يعالجه؟"; as English "i get hives from shellfish, can i do
# it"); not "ينفع اروح الطوارئ؟", and not with a treatment before it or a time of now
_TRAIT = re.compile(_P + r"(?:احيانا|من سنين|من سنوات|من زمان|دايما|دائما|من صغري|مزمن|مزمنه|ربو|صرع|سكري|الكورتيزون"
                    r"|كورتيزون)" + _E)
_ASKS_AHEAD_TRAIT = re.compile(
    r"(?:^|\s)(?:ينفع|يصلح|يناسب|يناسبني|عادي|اقدر|ممكن|هل)\s+(?:\S+\s+){0,2}?(?:اسوي|نسوي|تسوي|اسويه|الميزو|ميزو"
    r"|الميزوثيرابي|الجلسه|جلسه|الفيلر|البوتوكس|الليزر|احضر|اجي)(?=\s|$|[.,!?])"
    r"|(?:^|\s)(?:الميزو|الجلسه|العلاج|الليزر)\s+(?:يعالج|يفيد|ينفع|يناسب)\S*"
    r"|(?:^|\s)(?:تعالجون|تعالجونه|تعالجونها|يعالجه|يعالجها)(?=\s|$|[.,!?])")
# ... and what is felt now: "عندي ربو من زمان بس احس بضيق تنفس، ينفع اسوي الميزو؟"
_FEELS_NOW = re.compile(_P + r"(?:احس|حاس|حاسه|حسيت|قاعد|قاعده|صاير|صايره|يزيد|تزيد|زاد|زادت)" + _E)
_AFTER_A_TREATMENT = re.compile(_P + r"(?:بعد|من بعد|مكان|من الجلسه|من الحقن|من الابر|من الميزو|الجلسه الماضيه)" + _E)
# ... unless the sign is now: "الشهر الماضي سويت فيلر واليوم شفايفي زرقا"
_NOW = re.compile(_P + r"(?:اليوم|الحين|هلا|هلق|الان|امس|امبارح|حاليا|من يوم|من يومين|هالايام|للحين|لسا|لسه|لازال|مازال"
                  r"|ما زال)" + _E)
_SWOLLEN_OR_ALLERGIC = re.compile(r"منتفخ|متورم|ورم|تورم|انتفخ|انتفاخ|وارم|منفوخ|حساسيه|لسان|حلق|زور|شفايف|شفه|طفح")
# "هل فيه ألم كثير؟": the pain of the treatment asked about ahead
_PAIN_QUESTION = re.compile(r"هل (?:(?:في|فيه|يكون|يكون فيه|راح يكون|بيكون|بكون|حيكون|تسبب|الجلسه|الابر|الحقن)\s+)?(?:ال)?(?:الم|وجع)"
                            r"|\bhal (?:(?:fi|fee|bikoon|ykoon|ra7 ykoon)\s+)?(?:el\s+)?(?:alam|wja3|waja3)\b")
# results and replies are "not seen" too: "ما اشوف أي فرق", "ma shoof far2"
_RESULTS = re.compile(_P + r"(?:فرق|نتيجه|نتايج|تحسن|تغيير|فايده|ردكم|رد|الرساله|رسالتي|الرسايل|الموقع|المواعيد|far2|far8"
                      r"|natije|nateeje)" + _E)
# ... and so are the service's things, "not seen" or "not opening" as the object of the verb: "ما اشوف اي موعد
# متاح", "ما اشوف مشكلة", "ما اقدر افتح الرابط" (not a screen, a phone or the time: "ما اشوف الوقت على الجوال" may
# be sight lost), and the clinic or a device "not answering" next to the verb: "الموقع ما يستجيب", "صار ما يرد احد"
_SERVICE = re.compile(_P + r"(?:موعد|مواعيد|مواعيدكم|رابط|لينك|ايميل|ايميلي|بريد|رساله|رسايل|رسالتي|رسالتكم|مسج|فاتوره|تاكيد"
                      r"|زر|صفحه|تطبيق|ابلكيشن|برنامج|ملف|مرفق|موقع|حجز|حجزي|باقه|عرض|عروض|خصم|سعر|اسعار|خيار"
                      r"|خيارات|مشكله|سبب|داعي|كود|لوكيشن|خريطه|حساب|حسابي|صور|صوره|فيديو|باب|علبه|عبوه|غطا|غطاء|شنطه|قزازه"
                      r"|شباك|(?:اي|ولا) (?:وقت|اوقات))" + _E +
                      # Arabizi: "ma shoof wala wa2t", "ma 2ader ashoof el si3r"
                      r"|\b(?:wala|ay|ayy) (?:wa2t|wa8t|maw3ed)|\b(?:maw3ed|mawa3eed|mawa3id|link|si3r|se3r|as3ar|offer|3ard|5asm|khasm"
                      r"|email|e-mail|msg|message|risale|site|website|app|tatbee2|booking|7ajz|mushkle|moshkle|moshkila|sabab"
                      r"|photo|photos|pics|sowar|suwar)\b")
_ANSWERS = re.compile(_P + r"(?:موقع|تطبيق|ابلكيشن|واتساب|رقم|رقمكم|تلفون|تلفونكم|جوال|جوالكم|استقبال|موظف|موظفه|موظفين"
                      r"|عياده|عيادتكم|كلينك|احد|محد|نظام|سيستم|بوت|شات|صفحه|رابط|ايميل|دفع|بطاقه|زر)" + _E)
_BODY = re.compile(_P + r"(?:عيني|عيوني|عينه|عينها|جفني|جفوني|فمي|تمي|بقي|نظري|بصري|بعيني|بعيوني)" + _E +
                   r"|\b(?:3ayni|3ayne|3eni|3youni|3yooni|nazari|na9ari|jefni|tummi|tme|fommi)\b")


def _object_of(after: str, words: int = 3) -> str:
    """The first words after a match (the verb's object)."""
    return " " + " ".join(after.split()[:words]) + " "


# a blue spot, a bruise or a vein is not a person turning blue
_SPOT = re.compile(r"بقعه|بقع|كدمه|كدمات|نقطه|نقط|مكان الابر|مكان الحقن|عروق|عرق|وريد|الوريد|الجلد|جلدي|المكان|الخد|خدي"
                   r"|الانف|انفي|ذقني|الذقن|الجرح")
# the natural colour of the eyes, or coloured lenses: "عيوني زرق"
_EYE_COLOUR = re.compile(r"عدسات|لون (?:عيني|عيوني|عيونه|عيونها)|(?:عيوني|عيونه|عيونها|عيونك)\s+(?:زرق|زرقا|ازرق)(?=\s|$)")
# a bruise named with its colour, and the colours that stay a sign
_BRUISE = re.compile(r"كدمه|كدمات|ازرقاق|kadme|kadmeh")
_DARK = re.compile(r"اسود|سودا|سوده|سودت|اسودت|رمادي|ابيض|بيضا|شاحب|aswad|sawda")
# a change or a time: a drooping eyelid is new only with one ("جفني نازل من بعد البوتوكس")
_CHANGE = re.compile(r"(?:^|\s)(?:بعد|من بعد|فجاه|فجأه|صار|صارت|امس|امبارح|اليوم|الحين|هلق|هلا|بدا|بدات|بدأ|من يوم|الجلسه"
                     r"|البوتوكس|بوتوكس|الحقن|الابره|الابر)(?=\s|$)")
# old burns are scars, this clinic's trade: "آثار الحروق", "ندوب الحروق القديمة"
_OLD_BURN = re.compile(r"اثار|ندوب|ندبات|ندبه|بقايا|قديمه|القديمه|تشوهات|asar|nodoob")
# ... and a treatment for burns is a topic: "تقنية للحروق السطحية", "علاج الحروق" (not "زيادة الحروق" after it)
_BURN_TREATMENT = re.compile(r"(?:علاج|علاجات|تقنيه|تقنيات)\s*$")
# a planned stay or a visit, or the number to call, is not an emergency already under way
_PLANNED = re.compile(_P + r"(?:للعمليه|لعمليه|ولاده|للولاده|ازور|زياره|لزياره|اشتغل|شغلي|دوامي|موعد|رقم)" + _E)
# ... nor is one's work there: "انا ممرضة في العناية المركزة ودوامي بالليل"
# (the writer's own job only: "الممرض قال روح الطوارئ" stays a sign)
_WORKS_THERE = re.compile(r"(?:^|\s)(?:انا|اني)\s+(?:ممرضه|ممرض|دكتوره|دكتور|طبيبه|طبيب|موظفه|موظف)(?=\s|$)"
                          r"|(?:^|\s)(?:دوامي|وظيفتي|مناوبتي|شغلي)(?=\s|$)|(?:اشتغل|اعمل|شغال|شغاله)\s+(?:في|ب)")
# the weather's temperature ("الحرارة" with a place or a day) is no fever: "كم درجة الحرارة اليوم في دبي؟"
# (not "عندي حرارة اليوم", "جاتني الحرارة وانا برا")
_WEATHER = re.compile(_P + r"(?:الطقس|طقس|الجو|جو|دبي|الامارات|برا|بره|الخارج|بكره|بكرا|غدا|الصيف|الشتا|الشتاء)" + _E +
                      r"|\b(?:el jaw|jaw|el ta2s|ta2s|dubai|barra|bara|bokra|bukra|boukra|el sayf|sayf|el shita|shita)\b")
_OWN_FEVER = re.compile(_P + r"(?:عندي|عنده|عندها|حرارتي|حرارته|حرارتها|جسمي|جسمه|جسمها|احس|حاس|حاسه|حسيت|طلعت|ارتفعت"
                        r"|مرتفعه|سخونه|جاتني|جتني|جاني|جاته|جاتها|فيني|صار|صارت|صابتني|معي|وياي|نزلت|تنزل)" + _E +
                        r"|\b(?:3andi|3ndi|3indi|3ando|3anda|7ararti|jatni|ja2atni|a7es|a7ess|7asse|sar|saret|9ar|ma3i|fiyye)\b")
# "دوار" is also a roundabout, as Gulf directions give it: "قريبة من دوار الساعة", "بعد الدوار الثاني"
_PLACE = re.compile(_P + r"(?:شارع|طريق|مخرج|اشاره|يمين|يسار|وين|موقع|لوكيشن|عنوان|اوصل|نوصل|توصل|تقاطع|جسر|جنب"
                    r"|مقابل)" + _E + r"|دوار\s+(?:ال)?(?:ساعه|اول|ثاني|ثالث|رابع|اخير)" + _E)
# a product that "spreads" under the skin is asked about, not the redness: "هل الفيلر ينتشر في الوجه؟"; and weight,
# pigment, hair loss or acne that grow ("وزني قاعد يزيد", "الكلف ينتشر في وجهي") are this clinic's questions
_GROWS_ANYWAY = re.compile(_P + r"(?:وزني|وزن|كلف|تصبغات|تصبغ|نمش|تساقط|شعري|دهون|سيلوليت|كرش|حبوب|حب الشباب|اسعار|فيروس"
                           r"|كورونا)" + _E)
_PRODUCT = re.compile(_P + r"(?:فيلر|بوتوكس|ميزو|ميزوثيرابي|ماده|مواد|محلول|الكريم|كريم|السيروم|سيروم|الابره|الابر|الحقنه)" + _E)
# colours that are no change of the skin's blood supply: a mole, dark circles, hair, pigment, acne marks
_FEATURE = re.compile(_P + r"(?:شامه|شامات|خال|هالات|شعر|شعري|شعرها|رموش|رموشي|تصبغ|تصبغات|كلف|نمش|حب الشباب|اثار"
                      r"|ندبات|ندوب|ملابس|فستان|عباي[هت]|لون شعري|صبغه|الحمل|حملي|عروق|عروقي|عرق|وريد|الوريد|اورده|دوالي"
                      r"|الشمس|شمس|للبقع|كريم|ابط|ابطي|الركب|ركبي|ركبتي|الكوع|اكواع)" + _E)
# inflamed is no infection in a throat with a cold, or in acne with no treatment told
_ELSEWHERE = re.compile(_P + r"(?:حلق|حلقي|زور|زوري|اللوز|لوزتين|اللوزتين|الجيوب|جيوب|اذني|اذن|لثه|لثتي|معده|معدتي|مفاصل"
                        r"|المفاصل|القولون|المثانه)" + _E)


def _context_allows(label: str, clause: str, matched: str, text: str, before: str = "") -> bool:
    """Whether a sign found in a clause counts in its context (``before``: the clause up to the match)."""
    if _YOUTH.search(clause):
        return False  # a story of one's childhood, not a sign now
    if label in ("allergic.airway", "systemic.dizzy") and _FIGURE.search(clause):
        return False  # "اختنقت من الزحمة": a figure of speech
    if _LONG_AGO.search(clause) and _ASKS_AHEAD.search(text) and not _NOW.search(text):
        return False  # a past event asked about ahead of a treatment
    if _TRAIT.search(text) and _ASKS_AHEAD_TRAIT.search(text) and not (
            _NOW.search(text) or _AFTER_A_TREATMENT.search(text) or _FEELS_NOW.search(text)):
        return False  # a condition one lives with, asked about ahead of a treatment
    if label == "allergic.voice" and not _SWOLLEN_OR_ALLERGIC.search(text):
        return False  # a hoarse voice alone (a cold) is no swelling throat
    if label == "pain.severe" and _PAIN_QUESTION.search(clause):
        return False
    if label == "allergic.airway" and "كتمه" in matched and re.search(_P + r"(?:جو|الجو|طقس|الطقس|حر|رطوبه)" + _E, clause):
        return False
    if label == "infection.fever" and (re.search(r"الحراره$", matched) or re.search(r"(?:^|\s)(?:el|al|l)\s*$", before)) \
            and _WEATHER.search(clause) \
            and not _OWN_FEVER.search(clause):
        return False
    if label == "systemic.dizzy" and "دوار" in matched and _PLACE.search(clause):
        return False
    if label == "worsening.spread" and re.fullmatch(r"\s*[وفبل]?(?:ينتشر|قاعد يزيد)", matched) and (
            _PRODUCT.search(before) or (_GROWS_ANYWAY.search(clause) and not _AFTER_A_TREATMENT.search(text))):
        return False
    if label == "vascular.colour" and _FEATURE.search(clause) and not _CHANGE.search(clause):
        return False
    if label == "infection.pus" and "ملتهب" in matched and (
            _ELSEWHERE.search(clause) or (re.search(r"حبوب|حب (?:ال)?شباب", clause) and not _AFTER_A_TREATMENT.search(text))):
        return False
    after = clause[len(before) + len(matched):]
    if label == "systemic.vision" and (_RESULTS.search(_object_of(after)) or (_RESULTS.search(clause)
                                                                           and not _BODY.search(clause))):
        return False  # "ما اشوف اي تحسن تحت عيوني" (not "الموقع ما يفتح وانا ما اشوف بعيني")
    if label in ("systemic.vision", "weakness.cant_open") and _SERVICE.search(_object_of(after)) \
            and not _BODY.search(clause):
        return False  # "ما اشوف اي موعد متاح", "ما اقدر افتح الرابط": a thing, not an eye
    near = " " + " ".join(before.split()[-2:] + after.split()[:2]) + " "
    if label == "systemic.faint" and re.search(r"يرد|ترد|يستجيب|تستجيب", matched) and _ANSWERS.search(near):
        return False  # "الموقع ما يستجيب", "صار ما يرد احد": the clinic or a device, not a person
    if label == "systemic.cyanosis" and _SPOT.search(clause):
        return False
    if label in ("systemic.cyanosis", "vascular.colour") and _EYE_COLOUR.search(clause):
        return False
    if label == "vascular.colour" and _BRUISE.search(clause) and not _DARK.search(clause):
        return False  # "كدمة زرقا صغيرة مكان الابرة": a bruise's colour (black stays a sign), as in English
    if label == "tissue_damage.burn" and (_OLD_BURN.search(clause) or _BURN_TREATMENT.search(before)
                                          or (matched.startswith("ل") and before.endswith("ل"))):
        return False
    if label == "weakness.droop" and not _CHANGE.search(" " + text + " "):
        return False
    if label == "systemic.hospital" and (_WORKS_THERE.search(clause) or (
            not re.search(r"عنايه|انعاش|اسعاف", matched) and _PLANNED.search(clause))):
        return False
    return True


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
