"""Warning signs in Gulf, Egyptian, Levantine and Maghrebi Arabic and in Arabizi (issue 17,
helper "triage8"), and the everyday messages that carry the same words. Every message is the
team's own wording, written while reading the misses of real reports (R513-R529) and three
batteries of typed probes; none is a copy of a corpus row."""
import pytest

from clinic.triage import arabic
from clinic.triage.nlp import DEFAULT_MODEL

needs_spacy = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


def labels(text):
    return {f.label for f in arabic.find_signs(text)}


@pytest.mark.parametrize("text,label", [
    # a person turning blue, a coma, a fit, eyes rolling back, not answering
    ("ولدي صار ازرق بعد الابرة", "systemic.cyanosis"),
    ("بنتي وجهها ولى زرق", "systemic.cyanosis"),
    ("فجأة صارت زرقا وما تتكلم", "systemic.cyanosis"),
    ("ebni sar lono azra2", "systemic.cyanosis"),
    ("زوجتي دخلت في غيبوبة بعد الحقنة", "systemic.faint"),
    ("صار عنده تشنجات بعد التطعيم", "systemic.faint"),
    ("عيونها قلبت لفوق", "systemic.faint"),
    ("ابوي صار ما يرد علينا", "systemic.faint"),
    ("3am dukh w 7asse rah yoghma 3alay", "systemic.faint"),
    # an emergency service already involved
    ("نقلوني الطوارئ بالليل", "systemic.hospital"),
    ("ودينا الولد المستشفى بعد الابرة", "systemic.hospital"),
    ("قعد يومين في العناية المركزة", "systemic.hospital"),
    ("ana bl mostashfa hala2", "systemic.hospital"),
    # breathing, swallowing, seeing with every dialect's "cannot" and "no longer"
    ("ما عم اقدر اتنفس منيح", "allergic.airway"),
    ("مش عارفة ابلع ريقي", "allergic.airway"),
    ("بطلت اقدر اتنفس", "allergic.airway"),
    ("حاسة لساني منفوخ", "allergic.throat"),
    ("لساني تقيل من بعد الابر", "allergic.throat"),
    ("وجهها وارم وصوتها تغير", "allergic.voice"),
    ("ما عم شوف منيح بعيني اليسار", "systemic.vision"),
    ("مش شايفة كويس من امبارح", "systemic.vision"),
    ("عيني مغبشة من بعد الجلسة", "systemic.vision"),
    ("اشوف كل شي ضبابي", "systemic.vision"),
    ("نظري صار ضعيف فجأة", "systemic.vision"),
    ("عيني ما عادت تشوف زين", "systemic.vision"),
    ("ma 3am shoof mni7", "systemic.vision"),
    # burns, heat, blisters, bleeding
    ("طلعت لي حروق في رقبتي بعد الليزر", "tissue_damage.burn"),
    ("وجهي انحرق من التقشير", "tissue_damage.burn"),
    ("بشرتي تولع نار من الصبح", "infection.heat"),
    ("wejhi 3am ye7ra2ni kteer", "infection.heat"),
    ("طلعت فقاقيع على خدي", "tissue_damage.blister"),
    ("الدم ما يوقف من مكان الابرة", "tissue_damage.bleeding"),
    # infection, itch, rash
    ("صار عندي تسمم في الدم بعد الحقن", "infection.sepsis"),
    ("عندي صخونة من الليل", "infection.fever"),
    ("الجرح فيه ريحة وطالع منه ماي", "infection.pus"),
    ("الحكة ما تنطاق", "allergic.itch"),
    ("يحكني وجهي بجنون", "allergic.itch"),
    ("جسمي كله حبوب حمرا", "allergic.rash"),
    ("7ake bi kell jesmi", "allergic.rash"),
    # pain, worse, spreading, lumps, colour, weakness
    ("الوجع لا يطاق", "pain.severe"),
    ("ما قدرت انام من الوجع", "pain.severe"),
    ("زيادة في التورم كل يوم", "worsening.worse"),
    ("الحروق تزيد", "worsening.worse"),
    ("الاحمرار منتشر لرقبتي", "worsening.spread"),
    ("عندي حبة قاسية تحت الجلد", "lump.growing"),
    ("الكتلة تحت عيني وتكبر", "lump.growing"),
    ("خدي صار لونه غامق بعد الفيلر", "vascular.colour"),
    ("وشي وارم اوي", "swelling.severe"),
    ("مش قادرة افتح عيني", "weakness.cant_open"),
    ("عيني ما تسكر زين", "weakness.cant_open"),
    ("ma 3am e2dar eftah tme", "weakness.cant_open"),
    ("جفني نازل من بعد البوتوكس", "weakness.droop"),
])
def test_dialect_signs(text, label):
    assert label in labels(text)


@pytest.mark.parametrize("text", [
    # the clinic's own trade: burn scars and fat burning
    "كم سعر علاج آثار الحروق بالليزر؟", "عندي ندبة حرق قديمة في رقبتي", "هل ابر حرق الدهون آمنة؟",
    # heat of the weather, the sun or a device
    "هل اقدر اطلع في حرارة الشمس بعد الجلسة؟", "كم درجة حرارة الجهاز؟", "الجو نار اليوم",
    # results "not seen", a weak eyesight of long standing
    "ما اشوف أي فرق بعد ثلاث جلسات", "ما شفت نتيجة", "نظري ضعيف وألبس نظارة",
    # a clinic that does not answer, the emergency number, a planned operation
    "الدكتور ما يرد علي", "كم رقم الطوارئ؟", "أمي دخلت المستشفى الشهر الماضي للعملية",
    # a past event asked about ahead, a childhood story
    "خالتي كانت في العناية المركزة السنة الماضية، تقدر تسوي الجلسة؟",
    "كان عندي تشنجات وانا صغيرة",
    # the natural colour of the eyes, a bruise, a sunburn, a mild itch
    "عيوني زرقا هل يناسبني الليزر؟", "كدمة زرقا صغيرة مكان الابرة", "عندي حروق شمس خفيفة",
    "حكة خفيفة مكان الابر وراحت",
    # the pain of the treatment asked about ahead, an eyelid heavy for years
    "هل فيه ألم كثير بعد الميزو؟", "عندي جفن نازل من زمان",
    # the worst outcome and losing one's sight asked about ahead
    "ما هو اسوا شي ممكن يصير بعد الميزو؟", "هل ممكن افقد بصري بسبب الفيلر؟",
    "hal el meso ysabbeb waram kbeer?", "el dam wa2af ba3d shway",
])
def test_everyday_words_are_not_signs(text):
    assert arabic.find_signs(text) == []


@pytest.mark.parametrize("text", [
    "الشهر الماضي سويت فيلر واليوم شفايفي زرقا",  # a treatment long ago, the sign now
    "بعد الجلسة امس الحكة ما تنطاق",
])
def test_signs_now_after_a_treatment_long_ago_still_count(text):
    assert arabic.find_signs(text)


@needs_spacy
@pytest.mark.parametrize("text,emergency", [
    ("ولدي صار ازرق", True), ("نقلوني الطوارئ", True), ("طلعت لي حروق بعد الليزر", False),
    # WhatsApp English as Gulf and Indian patients type it
    ("swelling is there since 2 days and increasing", False),
    ("ma'am my eyes are not opening fully after botox", False),
    # sight lost, the worst pain ever (MSA as newspapers and patients write it)
    ("فجأة فقدت النظر في عيني اليسرى بعد حقن الفيلر امس", True), ("هذا اسوا الم حسيت فيه بحياتي", False),
    # a big swelling (as in English) and bleeding that will not stop, in Arabic and Arabizi
    ("طلع عندي ورم كبير تحت عيني", False), ("3indi waram kbeer 3ala khaddi w el dam mish 3am ywa2ef", False),
])
def test_verdicts(text, emergency):
    from clinic.triage import assess_text

    result = assess_text(text)
    assert result.urgent and result.emergency is emergency
