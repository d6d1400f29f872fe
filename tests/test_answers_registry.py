"""Approved answers: every FAQ and medical answer is registered and makes no banned claim,
in English or in Arabic; every entry records the review of its Arabic variation."""
from datetime import date

import pytest

from clinic.answers import (AnswerEntry, Review, arabic_banned_claims, audit, banned_claims, fill, load_registry,
                            needs_entry)
from clinic.facts import load_facts, template_values
from clinic.settings import PROJECT_ROOT, get_settings


@pytest.fixture(scope="module")
def values():
    return template_values(load_facts(get_settings().clinic_file))


def test_every_faq_and_medical_answer_is_registered_without_banned_claims(all_responses, values):
    problems = audit(all_responses, load_registry(), values)
    assert problems == [], "\n".join(problems)


def test_every_faq_answer_needs_an_entry(faq_responses):
    assert faq_responses and all(needs_entry(name, v) for name, v in faq_responses.items())


def test_registry_entries_have_unique_ids_versions_and_review_dates():
    registry = load_registry()
    assert len({e.id for e in registry.values()}) == len(registry)
    assert all(e.version >= 1 and e.reviewed_on.year >= 2026 for e in registry.values())


@pytest.mark.parametrize("text", [
    "Results are guaranteed.", "We GUARANTEE smooth skin", "100 % effective", "100% safe", "permanent results",
    "It is painless", "pain-free and quick", "completely risk-free", "a cure for scars", "No side effects at all",
    "totally safe", "scar-free skin",
])
def test_banned_claims_are_found(text):
    assert banned_claims(text)


@pytest.mark.parametrize("text,claim", [
    ("The best treatment for acne scars.", "best"), ("Dubai's BEST clinic", "BEST"),
    ("best-in-class results", "best-in-class"), ("Mesotherapy is best to treat scars.", "best"),
    ("our best results yet", "best"), ("The safest option.", "safest"), ("safer than laser", "safer than"),
    ("Better than fillers.", "Better than"), ("It works better for deep scars.", "works better"),
    ("superior results", "superior"), ("permanently smoother skin", "permanently"),
    ("long-lasting results", "long-lasting"), ("long lasting", "long lasting"),
    ("longer-lasting than creams", "longer-lasting"), ("results that last forever", "last forever"),
    ("less invasive than surgery", "less invasive than"), ("the most effective scar treatment", "most effective"),
    ("the number one choice", "number one"), ("No. 1 in Dubai", "No. 1"), ("#1 clinic", "#1"),
    ("unrivalled care", "unrivalled"),
])
def test_comparative_and_superlative_claims_are_found(text, claim):
    assert banned_claims(text) == [claim]


@pytest.mark.parametrize("text", [
    "It's usually best to avoid alcohol for about 48 hours.", "It’s best to wait a day.",
    "It is often best to ask first.", "Results are modest at best.", "I'll do my best to help.",
    "All the best for your session!", "You should feel better in a day or two.",
    "It's better to ask your practitioner.",
    "The most common side effects are redness and swelling.", "Swelling usually lasts less than a week.",
    "Best wishes from the team.", "bestseller", "semi-permanent makeup on the brows",
])
def test_idioms_with_best_and_better_pass(text):
    assert banned_claims(text) == []


@pytest.mark.parametrize("text", [
    "Your data is stored securely.", "We procure ingredients from licensed suppliers.", "curettage is not used",
    "Most people feel mild stinging.", "Results differ from person to person.", "Side effects are usually mild.",
    "There are some risks, which the practitioner explains.",
])
def test_honest_wording_passes(text):
    assert banned_claims(text) == []


def test_claims_hidden_in_clinic_facts_are_caught(values):
    responses = {"utter_faq/price": [{"text": "A session costs {session_price}."}]}
    registry = load_registry()
    assert audit(responses, registry, values) == []
    tampered = {**values, "session_price": "AED 950, results guaranteed"}
    assert audit(responses, registry, tampered) == ["utter_faq/price: banned claim 'guaranteed'"]
    assert fill("{unknown} {session_price}", values).startswith("{unknown} ")


def test_missing_entry_is_reported():
    responses = {"utter_faq/new_topic": [{"text": "New answer."}],
                 "utter_new_aftercare": [{"text": "Keep the swelling down with a cold compress."}],
                 "utter_ok": [{"text": "Okay!"}]}
    problems = audit(responses, {}, {})
    assert problems == ["utter_faq/new_topic: no entry in answers.yml (add id, version, reviewed_on)",
                        "utter_new_aftercare: no entry in answers.yml (add id, version, reviewed_on)"]


def test_banned_claim_in_a_button_title_is_found():
    assert audit({"utter_x": [{"text": "Hi", "buttons": [{"title": "Painless option", "payload": "/x"}]}]}, {}, {})


@pytest.mark.parametrize("body,error", [
    ("answers:\n  utter_a: {version: 1, reviewed_on: 2026-01-01}\n", "missing id"),
    ("answers:\n  utter_a: {id: a, version: 1, reviewed_on: 2026-01-01, arabic: yes}\n", "arabic must be a mapping"),
    ("answers:\n  utter_a: {id: a, version: 1, reviewed_on: 2026-01-01, arabic: {version: 0, reviewed_on: 2026-01-01,"
     " reviewer: x}}\n", "arabic version"),
    ("answers:\n  utter_a: {id: a, version: 1, reviewed_on: 2026-01-01, arabic: {version: 1, reviewed_on: later,"
     " reviewer: x}}\n", "arabic reviewed_on"),
    ("answers:\n  utter_a: {id: a, version: 1, reviewed_on: 2026-01-01, arabic: {version: 1,"
     " reviewed_on: 2026-01-01}}\n", "arabic reviewer"),
    ("answers:\n  utter_a: {id: a, version: 0, reviewed_on: 2026-01-01}\n", "version"),
    ("answers:\n  utter_a: {id: a, version: 1, reviewed_on: soon}\n", "reviewed_on"),
    ("answers:\n  utter_a: {id: a, version: 1, reviewed_on: 2026-01-01}\n"
     "  utter_b: {id: a, version: 1, reviewed_on: 2026-01-01}\n", "already used"),
])
def test_malformed_registry_is_refused(tmp_path, body, error):
    path = tmp_path / "answers.yml"
    path.write_text(body)
    with pytest.raises(ValueError, match=error):
        load_registry(path)


def test_every_faq_answer_has_its_id_and_seed_comment(faq_responses):
    """data/responses/faq.yml: each answer sits under ``# id: faq/<key> | seed: ...`` for review."""
    lines = (PROJECT_ROOT / "data" / "responses" / "faq.yml").read_text(encoding="utf-8").splitlines()
    for name in faq_responses:
        at = lines.index(f"  {name}:")
        key = name.split("/", 1)[1]
        assert lines[at - 1].startswith(f"  # id: faq/{key} | seed: "), name


def test_faq_registry_ids_follow_their_keys(faq_responses):
    registry = load_registry()
    for name in faq_responses:
        assert registry[name].id == "faq." + name.split("/", 1)[1], name
        assert registry[name].reviewer, f"{name}: who reviewed it?"


def test_out_of_scope_answers_are_registered(all_responses):
    registry = load_registry()
    names = [n for n in all_responses if n.startswith("utter_out_of_scope/")]
    assert sorted(names) == ["utter_out_of_scope/other", "utter_out_of_scope/smalltalk"]
    assert all(n in registry for n in names)
    assert "utter_out_of_scope" not in registry  # renamed: the retrieval action has no text of its own


# --- Arabic (issue 17) ----------------------------------------------------------------------

LANGUAGE = {"type": "slot", "name": "message_language", "value": "ar"}


def arabic_texts(variants):
    """The texts and button titles of a response's Arabic variations."""
    return [t for v in variants if LANGUAGE in (v.get("condition") or []) for t in
            [v.get("text") or ""] + [b.get("title") or "" for b in v.get("buttons") or []]]


def test_every_registry_entry_records_its_arabic_review():
    for name, entry in load_registry().items():
        assert isinstance(entry.arabic, Review), f"{name}: no arabic review fields in answers.yml"
        assert entry.arabic.version >= 1 and entry.arabic.reviewed_on.year >= 2026 and entry.arabic.reviewer, name


def test_registry_entries_without_arabic_fields_still_load(tmp_path):
    path = tmp_path / "answers.yml"
    path.write_text("answers:\n  utter_a: {id: a, version: 2, reviewed_on: 2026-01-01, reviewer: me}\n")
    assert load_registry(path) == {"utter_a": AnswerEntry("utter_a", "a", 2, date(2026, 1, 1), "me")}
    path.write_text("answers:\n  utter_a: {id: a, version: 2, reviewed_on: 2026-01-01, arabic: {version: 1,"
                    " reviewed_on: 2026-12-04, reviewer: \"awaiting native-speaker and medical review\"}}\n")
    expected = Review(1, date(2026, 12, 4), "awaiting native-speaker and medical review")
    assert load_registry(path)["utter_a"].arabic == expected


def test_every_registered_answer_has_an_arabic_text_without_banned_claims(all_responses, values):
    registry = load_registry()
    for name in sorted(registry):
        texts = arabic_texts(all_responses.get(name) or [])
        assert texts, f"{name}: registered, but has no Arabic variation"
        for text in texts:
            assert arabic_banned_claims(fill(text, values)) == [], f"{name}: {arabic_banned_claims(fill(text, values))}"


def test_audit_finds_a_banned_claim_in_an_arabic_variation():
    responses = {"utter_faq/results": [{"text": "Results vary."},
                                       {"condition": [LANGUAGE], "text": "النتائج مضمونة وبدون ألم."}]}
    assert audit(responses, load_registry(), {}) == ["utter_faq/results: banned claim 'مضمونه'",
                                                     "utter_faq/results: banned claim 'دون الم'"]


@pytest.mark.parametrize("text", [
    "نتائج مضمونة", "النتائج مضمونه 100%", "نضمن لك النتائج", "بضمان النتائج", "مية بالمية",
    "نتائج دائمة", "يزيل الندبات بشكل دائم", "علاج نهائي للندبات", "تختفي الندبات نهائيًا", "إلى الأبد", "تدوم للأبد",
    "العلاج بدون ألم", "جلسة بلا ألم", "خالٍ من الألم", "لا يسبب أي ألم", "بدون أي مخاطر", "خالي من المخاطر",
    "لا توجد أي مخاطر", "آمن تمامًا", "آمنة 100%", "يشفي الندبات", "الشفاء التام", "بدون آثار جانبية",
    "لا توجد آثار جانبية", "ليس له أي أعراض جانبية", "نتائج معجزة", "خلطة سحرية", "نتائج فورية",
    "بشرة بدون ندبات", "إزالة الندبات تمامًا", "تختفي الندبات كليًا", "مثبت علميًا", "بدون فترة نقاهة",
    "أَفْضَل علاج", "من أفضل العلاجات", "العلاج من الأفضل في دبي", "أفضل عيادة في دبي", "وهو الأفضل",
    "أفضل من الليزر", "أحسن من الفيلر", "الخيار الأسلم",
    "الأكثر أمانًا", "أكثر فعالية من الليزر", "أقل ألمًا من الليزر", "الأقوى في السوق", "نتائج تدوم طويلًا",
    "نتائج طويلة الأمد", "رقم 1 في الإمارات", "الأولى في دبي", "لا مثيل له", "رعاية منقطعة النظير",
])
def test_arabic_banned_claims_are_found(text):
    assert arabic_banned_claims(text) and banned_claims(text)


@pytest.mark.parametrize("text", [
    # "عادةً" (usually) and advice with "من الأفضل" / "الأفضل أن" ("it is better / best to") claim nothing,
    # like "It's best to wait" in English
    "عادةً يزول الاحمرار خلال يوم أو يومين.", "من الأفضل أن تسأل الممارس قبل ذلك.", "من الأفضل تجنّب الشمس.",
    "الأفضل أن تنتظر 48 ساعة عادةً.", "سأبذل قصارى جهدي لمساعدتك.", "مع أطيب التمنيات من فريقنا.",
    "دائمًا اسأل الممارس إذا لم تكن متأكدًا.", "تظهر النتيجة النهائية بعد عدة أسابيع.", "لضمان سلامتك نسألك عن أدويتك.",
    "قد تشعر بألم خفيف أثناء الحقن.", "قد تظهر آثار جانبية خفيفة مثل الاحمرار والتورم.", "تختلف النتائج من شخص لآخر.",
    "هناك بعض المخاطر، وسيشرحها لك الممارس.", "الآثار الجانبية الأكثر شيوعًا هي الاحمرار.", "أقرب المواعيد المتاحة",
    "إذا كنت تفضّل، يمكن لأحد أفراد فريقنا مساعدتك.", "تلتئم البشرة عادةً خلال أيام.", "اليوم الأول في المنزل",
    "يتضمن العلاج عدة جلسات.", "أقل من أسبوع عادةً.",
])
def test_harmless_arabic_passes(text):
    assert arabic_banned_claims(text) == [] and banned_claims(text) == []


def test_arabic_indic_digits_are_read_as_digits():
    assert banned_claims("فعال ١٠٠٪") == ["100%"] and banned_claims("آمن ١٠٠ ٪") == ["100 %"]


def test_english_text_is_not_scanned_as_arabic():
    assert arabic_banned_claims("The best treatment, guaranteed.") == []
    assert banned_claims("The best treatment, guaranteed.") == ["best", "guaranteed"]
