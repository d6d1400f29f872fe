"""Triage rules that generalise (issue 15): scope, negation, readings, growth, emergencies, Arabic."""
import json

import pytest

from clinic.triage import TriageResult, assess_text, assess_texts, with_learned
from clinic.triage import arabic
from clinic.triage.evaluate import below_floors, load_corpus, score_corpus
from clinic.triage.nlp import DEFAULT_MODEL

needs_spacy = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


@needs_spacy
@pytest.mark.parametrize("text,category", [
    # scope filters: a risk word or "before" earlier in the message
    ("before the session i was fine, now my lips are swollen and itchy", "allergic"),
    ("i avoided sun n makeup like u said but now its oozing", "infection"),
    # the comparison filter: the other side is not another procedure
    ("my left cheek is way more swollen than the other side and its hot", "infection"),
    # "can't stop" is not a negation
    ("can't stop shivering", "infection"),
    ("cant stop itching all over my body", "allergic"),
    # "normal?" questions that describe a present symptom
    ("is it normal my face is swelling this much??", "allergic"),
    # lexicon
    ("there are boils on my cheek", "infection"),
    ("white heads on every needle point", "infection"),
    ("i think it went septic", "infection"),
    ("face paining like anything", "pain"),
    ("the cheek is hurting badly", "pain"),
    ("pain is crazy", "pain"),
    ("i have bukhar since yesterday", "infection"),
    # growth and late onset
    ("a pea sized thing under my scar and its growing", "lump"),
    ("3 weeks later still have lumps, now they r red", "lump"),
])
def test_reports_the_old_rules_missed_are_urgent(text, category):
    result = assess_text(text)
    assert result.urgent, text
    assert category in result.categories, result


@needs_spacy
@pytest.mark.parametrize("text", [
    "temp 38.2", "my temperature is 38,5 since morning", "body temp is 100.8", "39°C last night and today",
    "thermometer says 101 F",
])
def test_temperature_readings_are_fever(text):
    result = assess_text(text)
    assert result.urgent and "infection" in result.categories


@needs_spacy
@pytest.mark.parametrize("text", [
    "temp 37.2, all fine", "is it 100 dirhams per session?", "i paid 380 for 3 sessions", "38 years old, can i do it?",
    "what if my temperature is 38.5 after the session?",
])
def test_numbers_that_are_not_a_fever(text):
    assert assess_text(text).urgent is False


@needs_spacy
@pytest.mark.parametrize("text", [
    "what are the signs of infection?",
    "What acne scars are hardest to treat?",
    "i had fever last month, can i still do the session",
    "numbing cream made my face numb for like an hour",
    "bruise looks blue black today normal?",
    "last year i had an infection after a tattoo, can i still do meso?",
    "a bit of swelling under the eye, going down already",
    "how long does the swelling last usually?",
    "i have dark circles under my eyes, can mesotherapy help?", "i gasped when i saw the price lol",
    "my saas is coming with me to the appointment", "my vision is fine, just a bruise near the eye",
    # "fit" is a seizure only as a noun ("had a fit"): these were read as an emergency (998)
    "where does sunscreen fit in my routine after meso", "can u fit me in tmrw evening",
    "which package fits me best", "is meso a good fit for my acne scars",
    # Indian English "does it pain": a question before the treatment, not a report
    "does it pain a lot", "will it pain a lot during the session?",
    # "see" about results or the mirror, not the eyes (these went to 998 first)
    "not able to see any difference after 3 sessions", "i am unable to see any improvement",
    "no longer see the scars much, so happy", "i can't see myself in the mirror with these scars",
    "not able to see the location on map", "i can't see the link", "i cant see the price",
    # said of a price, a wait or the stairs
    "i almost fainted when i saw the price", "the price is killing me haha",
    "its killing me to wait, when is the next slot", "i'm breathless after climbing stairs lol, need to get fit",
])
def test_general_questions_and_expected_effects_are_not_urgent(text):
    assert assess_text(text).urgent is False, assess_text(text)


@needs_spacy
@pytest.mark.parametrize("text", [
    # written the way patients put it on WhatsApp (not from a test split)
    "3 days after mesotherapy my cheek is red, swollen and tender to touch and it seems to be getting bigger",
    "the injection sites turned into red angry bumps with white tops",
    "the swelling is so bad my eye is almost shut",
    "my skin is peeling off in sheets and it's raw underneath",
    "my heart is pounding and I feel unwell",
    "doc my cheek is sooo swollen n red n hot pls help",
    "bhai face pe bahut sujan hai after treatment",
    "pain is not bearable madam", "i can't bear the pain anymore",
])
def test_urgent_in_patients_words(text):
    assert assess_text(text).urgent, (text, assess_text(text))


@needs_spacy
def test_swollen_lips_after_lip_filler_are_expected_unless_something_else_is_wrong():
    assert not assess_text("had lip filler yesterday and my lips are very swollen").urgent
    assert not assess_text("my lips were injected with 1ml juvederm and they're super swollen today").urgent
    for text in ("lip filler 2 days ago, lips swollen and itchy",
                 "after lip filler my lips are swollen and i can't breathe properly",
                 "had mesotherapy on my cheeks and now my lips are swollen",
                 "lip filler yesterday, my lips are swollen and one side has gone white",
                 "lip filler on monday and my lips are getting worse and more swollen every day"):
        assert assess_text(text).urgent, text


@needs_spacy
@pytest.mark.parametrize("text", ["the pain is bearable", "it's not too painful, bearable",
                                  "sooo happy with the results", "noooo pain at all"])
def test_bearable_and_stretched_words_are_not_urgent(text):
    assert assess_text(text).urgent is False, assess_text(text)


@needs_spacy
@pytest.mark.parametrize("text", [
    "my tongue feels thick and i'm choking a bit", "whistling when i breathe", "i can't see from my right eye",
    "my vision is foggy on one side", "suddenly everything is blurry", "seeing double since the filler",
    "my lips look blue", "lips gone grey-ish", "i passed out", "i feel like fainting",
    "it's hard to swallow", "my throat is closing",
    # written for the emergency tier's wording (not from a test split)
    "everything looks dim in my left eye", "there's a dark patch in my vision",
    "my eyesight is fuzzy since the session",
    "gasping for air after the session", "feels like something is stuck in my throat and it's getting tighter",
    "mujhe saans lene mein taklif ho rahi hai after the injection", "saans nahi aa rahi", "cnt breath properly",
    "my eyes are swelling shut and i can hardly breathe", "felt very lightheaded and fell down",
])
def test_emergency_tier(text):
    result = assess_text(text)
    assert result.urgent and result.emergency, (text, result)


@needs_spacy
@pytest.mark.parametrize("text", ["pus and fever", "the redness is spreading", "a hard painful lump",
                                  "the blue black bruise is fading"])
def test_not_every_warning_sign_is_an_emergency(text):
    assert assess_text(text).emergency is False


# --- signs found in the dev split of the real-report corpus (issue 15, second round) ------

@needs_spacy
@pytest.mark.parametrize("text,category", [
    ("the filler is blocking a blood vessel, my lip has reduced blood flow", "vascular"),
    ("i woke up in horrendous pain", "pain"),
    ("i am in agony since the filler", "pain"),
    ("my lip is pulsing and feels like it will explode", "pain"),
    ("after the peel i looked like a burn victim", "tissue_damage"),
    ("my left eyelid started drooping two days after the botox", "weakness"),
    ("i can barely open my eye since the injections", "weakness"),
    ("since yesterday i couldn't open my mouth properly", "weakness"),
    ("the swelling in my cheek comes and goes since the filler", "swelling"),
    ("six months later my lips swelled up again", "swelling"),
    ("i feel really ill since the injections", "systemic"),
    ("i can't walk, i'm so weak", "systemic"),
])
def test_signs_from_the_dev_reports_are_urgent(text, category):
    result = assess_text(text)
    assert result.urgent and category in result.categories, (text, result)


@needs_spacy
@pytest.mark.parametrize("text", [
    "my throat feels like it is closing up", "i can't move my tongue properly",
])
def test_a_closing_throat_and_a_tongue_that_will_not_move_are_emergencies(text):
    result = assess_text(text)
    assert result.urgent and result.emergency, (text, result)


@needs_spacy
@pytest.mark.parametrize("text", [
    "i have droopy eyelids, can botox help?",
    "can filler block an artery?",
    "will botox spread to my eyes?",
    "i have burn scars from childhood, can mesotherapy help?",
    "the swelling went down a month later",
    "a painless bluish lump under my eye from the filler, it has not changed in weeks",
    "so sick of my frown lines",
    "it wasn't painful, more like heat and tightness",
    "the peeling has spread to my chin",
])
def test_questions_and_expected_effects_near_the_new_signs_are_not_urgent(text):
    assert assess_text(text).urgent is False, (text, assess_text(text))


def test_real_reports_have_sources_and_each_split_has_every_label():
    from scripts.split_corpus import site

    dev, test = load_corpus("dev"), load_corpus("test")
    real = [r for r in dev + test if r["kind"] == "real"]
    assert len(real) >= 130
    assert all(r["source"].startswith(("http://", "https://")) for r in real)
    assert len({r["text"] for r in real}) == len(real), "a report is in the corpus twice"
    for rows in (dev, test):
        labels = {r["label"] for r in rows if r["kind"] == "real"}
        assert labels == {"urgent", "emergency", "expected"}, labels
    # a registrable domain (not just a host) feeds one split only
    domains = lambda rows: {site(r["source"]) for r in rows if r["kind"] in ("real", "question")}  # noqa: E731
    assert not domains(dev) & domains(test)


# --- Arabic and Arabizi -----------------------------------------------------------------

def test_normalise_unifies_spellings_and_digits():
    assert arabic.normalise("حَرَارَة") == "حراره"
    assert arabic.normalise("أإآ ـــ") == "ااا"
    assert arabic.normalise("٣٨٫٥") == "38.5"
    assert arabic.normalise("حمى") == "حمي"


@pytest.mark.parametrize("text,labels", [
    ("في صديد بعد الجلسة بيومين وعندي حرارة", {"infection.pus", "infection.fever"}),
    ("عندي حُمّى من امس", {"infection.fever"}),
    ("حرارتي ٣٨٫٥ من الصبح", {"infection.fever"}),
    ("وجهي متورم كثير", {"swelling.severe"}),
    ("3ndi 7arara w fi sadeed", {"infection.fever", "infection.pus"}),
    ("عندي ضيق تنفس", {"allergic.airway"}),
    ("ما اقدر اتنفس", {"allergic.airway"}),
    ("mish 2ader atnaffas", {"allergic.airway"}),
    ("لساني متورم", {"allergic.throat"}),
    ("ما اشوف زين بعيني", {"systemic.vision"}),
    ("شفايفي صارت زرقاء", {"systemic.cyanosis"}),
    # Arabizi swelling and heat at the treated place
    ("khaddi kollo manfookh mn embare7", {"swelling.site"}),
    ("el mkan sar 7ar w y3awerni", {"infection.heat"}),
    # typed by the team as Gulf patients write (2026-12-05, night)
    ("زوري يضيق بعد الابر", {"allergic.throat"}),
    ("خدي احمر ومنتفخ ويزيد", {"swelling.severe"}),
    ("طلعت حبوب بيضا على كل نقطة ابرة", {"infection.pus"}),
    ("المكان ملتهب ويطلع ماي اصفر", {"infection.pus"}),
    ("جلدي صار شاحب جنب الحقنه", {"vascular.colour"}),
    ("عندي كتلة قاعده تكبر", {"lump.growing"}),
    ("الالم قاعد يزيد", {"worsening.worse"}),
    ("shfayfi sarat zarqa", {"systemic.cyanosis"}),
    ("el jild abya9 3ind el ibra", {"vascular.colour"}),
    ("fi kutla tkbar ta7t el nadba", {"lump.growing"}),
    ("حبوب حمرا على كل جسمي", {"allergic.rash"}),
])
def test_arabic_signs(text, labels):
    assert labels <= {f.label for f in arabic.find_signs(text)}


@pytest.mark.parametrize("text", [
    "لا يوجد صديد ولا حرارة بس احمرار خفيف", "ما في حرارة الحمد لله", "mafi sadeed, bas shwayt a7mirar",
    "ما عندي حرارة", "ma 3ndi 7arara", "كم سعر الجلسة", "هل الجلسة مؤلمة؟", "حرارتي ٣٧ عادي",
    "wajhi mish manfookh el 7amdella", "el mkan mish 7ar",
    # asked in general or as a condition
    "هل ممكن يطلع صديد بعد الجلسة؟", "هل الميزو يسبب حرارة؟", "اذا صار عندي صديد ايش اسوي", "ما هي علامات الالتهاب؟",
    "momken ysabbeb 7arara?", "المكان مو ملتهب الحمدلله",
])
def test_arabic_negations_and_questions_are_not_signs(text):
    assert arabic.find_signs(text) == []


def test_arabic_detection():
    assert arabic.is_arabic("كم سعر الجلسة") and arabic.is_arabic("3ndi 7arara")
    assert not arabic.is_arabic("i have a fever of 38") and not arabic.is_arabic("")


@needs_spacy
@pytest.mark.parametrize("text,emergency", [
    ("في صديد بعد الجلسة بيومين وعندي حرارة", False), ("عندي ضيق تنفس بعد الحقن", True),
    ("mish 2ader atnaffas", True), ("اغمي علي بعد الجلسة", True),
])
def test_arabic_reaches_the_same_verdict_with_language(text, emergency):
    result = assess_text(text)
    assert result.urgent and result.emergency is emergency
    assert result.as_dict()["language"] == "ar"


@needs_spacy
def test_english_verdict_has_no_language_key():
    assert "language" not in assess_text("pus and fever").as_dict()


# --- the learned signal --------------------------------------------------------------------

def test_learned_signal_only_adds_to_what_the_rules_missed():
    rules = TriageResult(urgent=True, categories=["infection"])
    assert with_learned(rules, ("allergic", True, 0.9)) is rules
    calm = TriageResult(urgent=False)
    assert with_learned(calm, None) is calm
    flagged = with_learned(calm, ("allergic", False, 0.7))
    assert flagged.urgent and flagged.categories == ["allergic"] and flagged.learned


def _encoder_installed():
    try:
        from clinic.nlu.encoder import package_model_dir

        return package_model_dir().exists()
    except Exception:
        return False


@needs_spacy
@pytest.mark.slow  # fits the learned signal (clinic.triage.learned.fitted)
@pytest.mark.skipif(not _encoder_installed(), reason="sentence encoder not installed")
def test_learned_signal_catches_a_paraphrase_and_leaves_questions():
    # (the rules now know "gasping for air"; this paraphrase is in none of their words)
    air, price, general = assess_texts(
        ["air won't go into my lungs properly", "how much is a session", "what are side effects of filler"],
        learned=True)
    assert not assess_texts(["air won't go into my lungs properly"])[0].urgent  # rules alone miss it
    assert air.urgent and air.learned
    assert not price.urgent and not general.urgent


# --- evaluation ------------------------------------------------------------------------------

def test_score_corpus_counts_each_group():
    rows = [{"id": "1", "text": "a", "label": "urgent"}, {"id": "2", "text": "b", "label": "emergency"},
            {"id": "3", "text": "c", "label": "expected"}, {"id": "4", "text": "d", "label": "question"}]
    verdicts = {"a": (True, False), "b": (True, False), "c": (True, False), "d": (False, False)}
    figures = score_corpus(rows, lambda texts: [TriageResult(*verdicts[t]) for t in texts])
    assert figures["urgent_recall"] == 1.0 and figures["emergency_recall"] == 0.0
    assert figures["false_alarms_expected"] == 1.0 and figures["false_alarms_questions"] == 0.0
    assert [r["id"] for r in figures["errors"]["missed_emergency"]] == ["2"]
    assert below_floors(figures, {"urgent_recall": 0.98, "false_alarms_expected": 0.15}) == [
        "false_alarms_expected 1.000 (floor 0.150)"]


def test_corpus_splits_are_well_formed_and_split_by_website():
    dev, test = load_corpus("dev"), load_corpus("test")
    assert sum(r["label"] in ("urgent", "emergency") for r in dev + test) >= 100
    site = lambda url: url.split("/")[2].replace("www.", "")  # noqa: E731
    real = lambda rows: {site(r["source"]) for r in rows if r["kind"] in ("real", "question")}  # noqa: E731
    assert not real(dev) & real(test), "a website feeds both splits"
    assert not {r["text"] for r in dev} & {r["text"] for r in test}


@needs_spacy
def test_eval_script_check_fails_under_the_floor(tmp_path):
    from scripts.eval_triage import main

    header = "id\ttext\tlabel\tsource\tkind\n"
    (tmp_path / "dev.tsv").write_text(header + "W1\tthere is pus\turgent\twritten\twritten\n"
                                      "W2\thow much is it?\tquestion\twritten\twritten\n", encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["--split", "dev", "--check", "--dir", str(tmp_path), "--out", str(out)]) == 0
    assert json.loads(out.read_text())["dev"]["urgent_recall"] == 1.0
    (tmp_path / "dev.tsv").write_text(header + "W1\tall good thanks\turgent\twritten\twritten\n", encoding="utf-8")
    assert main(["--split", "dev", "--check", "--dir", str(tmp_path), "--out", str(out)]) == 1
    assert main(["--split", "dev", "--dir", str(tmp_path), "--out", str(out)]) == 0  # no --check: report only
    (tmp_path / "dev.tsv").write_text(header + "W1\tx\tbogus\twritten\twritten\n", encoding="utf-8")
    assert main(["--split", "dev", "--check", "--dir", str(tmp_path), "--out", str(out)]) == 2


def test_corpus_fields_are_read_verbatim(tmp_path):
    """A report quoted the way patients write it keeps its quotation marks and its text."""
    text = '"cheek is hot and red" is what I told them, now it is spreading'
    (tmp_path / "dev.tsv").write_text("id\ttext\tlabel\tsource\tkind\n"
                                      f"Q1\t{text}\turgent\twritten\twritten\n", encoding="utf-8")
    assert [row["text"] for row in load_corpus("dev", tmp_path)] == [text]


def test_eval_script_served_out_of_fold_is_either_verdict(monkeypatch):
    """``--served --learned``: the model without its learned signal, or the rules with the signal out of fold."""
    from types import SimpleNamespace

    import scripts.eval_triage as script

    flag = lambda urgent, emergency=False: SimpleNamespace(urgent=urgent, emergency=emergency)  # noqa: E731
    learned = {"a": flag(False), "b": flag(True, True), "c": flag(False), "d": flag(True)}
    served = {"a": flag(True), "b": flag(False), "c": flag(False), "d": flag(True)}
    monkeypatch.setattr(script, "_assess", lambda use, split, rows: lambda texts: [learned[t] for t in texts])
    run = script._served_out_of_fold(lambda texts: [served[t] for t in texts], [])
    assert [(v.urgent, v.emergency) for v in run(list("abcd"))] == [
        (True, False), (True, True), (False, False), (True, False)]
    assert script.main(["--served", "--learned", "--split", "test", "--model", __file__]) == 2  # dev only


@needs_spacy
@pytest.mark.parametrize("text", [
    "not able to see clearly from right eye", "i'm not able to see out of my left eye", "cant see from one eye",
    "i can't see very well since yesterday", "unable to see properly after filler", "i can no longer see clearly",
    "i'm breathless since the injection",
    # the whole message (no word after "see" for a pattern to read)
    "help i can't see", "i cant see", "I suddenly can’t see!!", "omg i cant see anymore please help",
])
def test_seeing_badly_is_an_emergency(text):
    result = assess_text(text)
    assert result.urgent and result.emergency, result


@needs_spacy
@pytest.mark.parametrize("text", [
    "half of my smile is not moving", "one side of my mouth wont move since botox", "half my face isn't moving",
])
def test_one_side_that_does_not_move_is_a_warning_sign(text):
    result = assess_text(text)
    assert result.urgent and "weakness" in result.categories, result
