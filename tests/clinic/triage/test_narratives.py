"""Triage of long, narrative reports (issue 15): scope of a sign in a story.

Each rule family added for narratives has reports that must flag, the same words denied
or in a "normal?" question, and expected-course stories that mention alarming words in
passing. The reports are written by the team (no evaluation row is copied here).
"""
import pytest

from clinic.triage import arabic, assess_text, assess_texts
from clinic.triage.nlp import DEFAULT_MODEL
from clinic.triage.scope import is_guess, is_resolved

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


# --- resolution: a milder sign the message says went away ---------------------------

@pytest.mark.parametrize("text", [
    "I had a mild headache and slight dizziness after the botox, but by the next day I was fine.",
    "It burned and made my skin feel hot. Good thing, the stinging subsided pretty quickly.",
    "Over the next days my cheeks swelled even more. On day five the swelling finally went down.",
    "numb but it wore off after an hour",
    "my under eyes were puffy when I woke up but went down by lunch",
])
def test_a_milder_sign_that_went_away_is_not_urgent(text):
    assert assess_text(text).urgent is False, assess_text(text)


@pytest.mark.parametrize("text", [
    # the resolution is denied
    "i have numbness in my chin that hasn't gone away since the session last week",
    "the swelling around my eyes won't go down and it's day 4",
    # the resolution is the state before the sign
    "The pain is getting worse every day since my PRP, it was fine at first.",
    # a fresh report after the resolution
    "the swelling went down on day 3 but now it's back and hot to the touch",
    # the resolution is about another symptom, or everything but the sign
    "my lips are really swollen and the bruise went away",
    "I'm really dizzy since the injections but otherwise I'm fine",
    # emergencies and infection signs reach a nurse however the story ends
    "I fainted in the car park after the injections, I'm fine now though",
    "there was pus coming out yesterday, it cleared up this morning",
])
def test_a_resolution_that_does_not_apply_keeps_the_sign(text):
    assert assess_text(text).urgent is True, text


def test_is_resolved_reads_negation_and_order():
    assert is_resolved(", but by the next day i was fine")
    assert not is_resolved(" that has n't gone away since last week")
    assert not is_resolved(" , it was fine at first")
    assert not is_resolved(" went down but now it is back")


# --- guesses, fears, plans and other people's stories -----------------------------------

@pytest.mark.parametrize("text", [
    "could this be an infection?",
    "is it an allergic reaction or is that normal?",
    "I'm scared of swelling and infection. How long does swelling last?",
    "thinking of getting lip filler, will it bruise a lot?",
    "My friend got an infection after fillers at another place, what are the signs to look for?",
])
def test_guesses_fears_and_other_peoples_stories_are_not_urgent(text):
    assert assess_text(text).urgent is False, assess_text(text)


@pytest.mark.parametrize("text", [
    "it's oozing yellow stuff, could this be an infection?",
    "I think it's infected, the cheek is hot and red",
    "my daughter had filler yesterday and now her lips are swollen and itchy",
    "is it normal that my face is this swollen and hot on day 4?",
])
def test_a_finding_next_to_a_guess_or_a_relative_is_urgent(text):
    assert assess_text(text).urgent is True, text


def test_is_guess():
    assert is_guess("could this be an")
    assert is_guess("is it")
    assert not is_guess("i think it is")


# --- worsening: habit, belief and results are not a worsening ---------------------------

@pytest.mark.parametrize("text", [
    "Day 3: this is usually the worst day for me, red and tight with no peeling.",
    "my skin looked in worse condition than I thought it was, but no pain, just peeling",
    "I want a refund, my melasma is worse after the sessions",
])
def test_worse_as_habit_belief_or_result_is_not_urgent(text):
    assert assess_text(text).urgent is False, assess_text(text)


@pytest.mark.parametrize("text", [
    "the redness is getting worse every day",
    "my acne scars are worse and now they're red and hot",
])
def test_a_real_worsening_is_urgent(text):
    assert assess_text(text).urgent is True


# --- lumps: inflamed, hard and sore, something hard; a small firm bit early on ------------

@pytest.mark.parametrize("text,category", [
    ("This morning there is a red, tender lump under my right eye that wasn't there before.", "lump"),
    ("my top lip is swollen on one side and its hard and sore to touch", "lump"),
    ("I started touching and I see something hard around my cheeks", "lump"),
    ("the lump is bigger than yesterday", "lump"),
])
def test_lumps_in_stories_are_urgent(text, category):
    result = assess_text(text)
    assert result.urgent and category in result.categories, result


@pytest.mark.parametrize("text", [
    "Is it normal to feel a small firm bit under the skin right after filler? It softened by day 3.",
    "I don't feel anything hard under the skin, just a bruise",
    "one side looked slightly bigger than the other the first day",
    "there's no pus or fluid, just small red bumps, normal?",
])
def test_small_firm_bits_denials_and_asymmetry_are_not_urgent(text):
    assert assess_text(text).urgent is False, assess_text(text)


# --- lip filler: swelling is expected, unless it returns weeks later ----------------------

@pytest.mark.parametrize("text", [
    "Three weeks after lip filler, all the swelling had gone. Now out of nowhere my top lip has swollen up again.",
    "is it normal that my lip has swollen up again two months after the filler?",
])
def test_lip_swelling_that_returns_weeks_later_is_urgent(text):
    assert assess_text(text).urgent is True, text


@pytest.mark.parametrize("text", [
    "Juvederm in my upper and lower lips yesterday. My lips are very swollen now and the left is larger "
    "than the others.",
    "My top lip was super swollen because more product was placed in the top lip than the bottom.",
    "lip filler 2 days ago, swollen again this morning but going down by noon",
])
def test_swelling_of_freshly_filled_lips_is_not_urgent(text):
    assert assess_text(text).urgent is False, assess_text(text)


# --- weakness, hospital, airway, blue lips over two sentences ------------------------------

@pytest.mark.parametrize("text,category,emergency", [
    ("My face dropped on one side mid-flight, my family were horrified.", "weakness", False),
    ("half my face is frozen since the botox", "weakness", False),
    ("I could not see unless I taped my forehead up", "systemic", True),
    ("They moved me to ICU to be constantly monitored.", "systemic", True),
    ("all the mucus is stuck in my lungs and throat", "allergic", True),
    ("My lip felt extremely big and swollen. It began to go white and grey.", "systemic", True),
])
def test_weakness_hospital_airway_and_blue_lips(text, category, emergency):
    result = assess_text(text)
    assert result.urgent and category in result.categories, result
    assert result.emergency is emergency, result


@pytest.mark.parametrize("text", [
    "will botox paralyse my face?",
    "my face dropped when I saw the price lol",
    "The bruise on my lip went blue and now it's turning yellow.",
    "I had no bruising other than one pin prick looking slightly purplish.",
    "When the numbing wore off my lips felt tender, kind of like they were throbbing.",
])
def test_the_same_words_that_are_not_a_warning_sign(text):
    result = assess_text(text)
    assert result.urgent is False or result.emergency is False, result
    if "price" in text or "paralyse" in text or "pin prick" in text or "throbbing" in text:
        assert result.urgent is False, result


# --- the expected course in the patient's words: sunburn, treated under-eyes, long ago -----

@pytest.mark.parametrize("text", [
    "Day 1 after microneedling: face is red and feels warm like a sunburn, a bit tight.",
    "Had PRP yesterday, the under eyes are puffy and there's a small bruise on the left, it doesn't hurt.",
    "I fainted once at the dentist years ago, should I tell the nurse before my session?",
    "My sister had a bad reaction to fillers years ago. Is that hereditary?",
])
def test_expected_course_and_history_are_not_urgent(text):
    assert assess_text(text).urgent is False, assess_text(text)


@pytest.mark.parametrize("text", [
    "my face is hot and red, not like a sunburn, and it's spreading",
    "had PRP under my eyes and now they are puffy and itchy and my lips are swelling",
    "the swelling from the filler months ago came back and it's hard",
    "two months ago I had filler and now a lump appeared and it hurts",
])
def test_the_same_stories_with_a_warning_sign_are_urgent(text):
    assert assess_text(text).urgent is True, text


# --- a reaction beyond the treated face; near-faint that passed ---------------------------

def test_raised_blotches_beyond_the_face_are_an_allergic_rash():
    result = assess_text("Tonight my face started itching and I have raised blotches on my chest and back too.")
    assert result.urgent and "allergic" in result.categories


def test_blotches_that_came_back_on_the_face_are_not_a_body_rash():
    assert assess_text("the red spots on my face came back").urgent is False


def test_a_near_faint_at_the_blood_draw_that_passed_is_not_urgent_but_fainting_is_an_emergency():
    calm = assess_text("The first PRP session made me feel a bit faint when they took my blood, "
                       "I've always been like that with needles. I was fine after a juice.")
    assert calm.urgent is False
    assert assess_text("I feel faint when I stand up since the injections").emergency is True


# --- long stories: the warning sign in the middle --------------------------------------

def test_long_stories_with_a_sign_in_the_middle_and_calm_ones():
    urgent = [
        "Had my second microneedling session on Saturday. The first day was the usual sunburn feeling, nothing "
        "crazy. Yesterday a few spots on my left cheek filled with yellow stuff and today the whole cheek feels "
        "hot. I'm putting the cream on twice a day. Is this still part of healing?",
        "Week two after Botox in my forehead. The results are lovely and the headache from day one went away. "
        "But since yesterday my left eyelid is hanging lower and I have to lift my brow to see properly.",
        "quick question, had meso on monday, mostly fine, small bruises. but the pain in my left cheek is getting "
        "worse every day instead of better and panadol isnt helping anymore",
    ]
    calm = [
        "Had my first microneedling session yesterday. My face was red like a sunburn last night and a bit tight "
        "this morning, with a few tiny scabs where it bled. No pain really. Is it ok to put moisturiser on now?",
        "Botox was on Thursday. I had a mild headache that evening which went away after a paracetamol, and a "
        "tiny bump at one injection point that was gone in an hour. All good!",
        "Had my meso yesterday. Some tiny bumps at each injection point and slight redness, like mosquito "
        "bites. They're already flatter today.",
    ]
    assert all(r.urgent for r in assess_texts(urgent))
    assert not any(r.urgent for r in assess_texts(calm))


# --- Arabic: eyes swollen shut, a lip that does not move, worse ---------------------------

@pytest.mark.parametrize("text,label", [
    ("وفي الصباح تورمت عيناي وعجزت عن فتحهما", "weakness.cant_open"),
    ("تورمت عيناي بعد البوتوكس", "swelling.site"),
    ("شعرت أن شفتي لا تتحرك", "weakness.cant_move"),
    ("راجعت الطبيب لكن حالتي ساءت أكثر", "worsening.worse"),
    ("كان ألم أسوأ", "worsening.worse"),
])
def test_arabic_narrative_signs(text, label):
    assert label in [f.label for f in arabic.find_signs(text)]
    assert assess_text(text).urgent is True


@pytest.mark.parametrize("text", [
    "لا يوجد تورم ولا ألم والحمد لله",
    "هل البوتوكس يسبب شلل؟",
    "ابي احجز جلسة لنص وجهي",
])
def test_arabic_denials_and_questions_are_not_urgent(text):
    assert assess_text(text).urgent is False


# --- signs people tell in stories (December 2026, own words) ---------------------------

@pytest.mark.parametrize("text,label", [
    # swelling as a multiple of the usual size
    ("woke up at 3am and my lips had tripled in size, they feel tight and burning", "swelling.massive"),
    ("my cheek is three times the size it should be", "swelling.massive"),
    ("the top lip swelled so much it touched my nose", "swelling.massive"),
    # burning or pressure the patient calls unbearable
    ("the pressure and burning in my cheek is unreal", "pain.severe"),
    # part of the sight gone, about to faint
    ("a few minutes after the injection near my nose i lost part of the vision in my left eye", "systemic.vision"),
    ("I felt woozy and if I had stood up I'd have started to faint", "systemic.faint"),
    # a smell from the spots
    ("there's a smell coming from the spots and they are yellow", "infection.pus"),
    # bigger than yesterday, with the symptom named
    ("the swelling is a bit bigger than yesterday", "worsening.worse"),
    # a thick tongue
    ("my tongue started to feel fat this afternoon", "allergic.airway"),
    # spots with yellow heads, a line of redness, a swelling the size of a ball
    ("a few of the needle marks turned into spots and two have yellow heads now", "infection.infected"),
    ("I can see a streak of redness running from the site down my jaw", "infection.redness"),
    ("my chin is swollen like a tennis ball", "swelling.massive"),
    # Gulf and Indian English for severe pain; painkillers that do nothing
    ("face is very much red and swollen, too much pain", "pain.severe"),
    ("a splitting headache since the injections and the tablets do nothing", "pain.no_sleep"),
])
def test_signs_told_in_stories_are_found(text, label):
    result = assess_text(text)
    assert label in result.signs, (text, result.signs)


@pytest.mark.parametrize("text", [
    # "caught my reflection" is not "catch my breath"
    "I went to make tea and caught my reflection in the mirror, my lip was a bit swollen the day after filler",
    # a doubled lip the day after lip filler is the usual course
    "day 1 after lip filler and my lips have doubled in size lol",
    # choosing, not a symptom
    "is it worse to get meso in summer because of the heat?",
    # a "normal?" question about a mild sign that lasts hours
    "is it normal for the face to be hot for a few hours after the session?",
    # results talk
    "my chin looks bigger than yesterday with the filler, love it",
    # what the treatment treats, and results over the years
    "can microneedling work on acne scars if I get pus spots sometimes?",
    "my acne scars are getting worse with age, what do you recommend?",
    # a story the writer saw or read about
    "I saw a video on TikTok where a girl's lips turned purple after filler. Is that a risk with meso?",
    "I read that a celebrity had a severe reaction. She was at dinner when her eyes swelled shut.",
])
def test_story_words_that_are_not_a_sign_here(text):
    result = assess_text(text)
    assert result.urgent is False, (text, result.signs)


def test_a_story_seen_elsewhere_then_the_writers_own_sign_is_urgent():
    text = "I saw a video on TikTok about filler going wrong and now my own lip is white and cold"
    assert assess_text(text).urgent is True


def test_a_relative_writing_for_the_patient_is_still_a_report():
    text = "My daughter had meso yesterday. She says her throat feels tight and she's struggling to swallow."
    result = assess_text(text)
    assert result.urgent and result.emergency


@pytest.mark.parametrize("text", [
    # a resolution followed by a happy "now", not a fresh report
    "my top lip looked enormous the first evening but by day 3 it had settled and now I'm obsessed with it",
    # better and only mild now
    "the cheeks were so sore on day one I couldn't chew, by the weekend it was only a slight tenderness",
    # the resolution is about the writer, not the blood test before the sign
    "I went a bit woozy when the nurse drew my blood for the PRP, but after some juice I was fine",
    # asymmetry while the filler settles
    "two days after filler it's a little lumpy and the left side looks bigger",
    # worse before better
    "my skin looked worse before it got better, flaky for a week",
    # a worry, not a finding
    "I was anxious about infection so I kept my hands off my face, and nothing happened",
])
def test_the_expected_course_told_as_a_story_is_not_urgent(text):
    result = assess_text(text)
    assert result.urgent is False, (text, result.signs)


@pytest.mark.parametrize("text", [
    "it settled after two days but now it's swollen again and hot",
    "the soreness got better, only mild now, but this morning there's pus at one point",
])
def test_a_fresh_report_after_the_course_is_urgent(text):
    assert assess_text(text).urgent is True, text


@pytest.mark.parametrize("text,urgent", [
    # pain during the treatment itself is expected, unless the message puts it after
    ("the stinging was insane during the peel but it stopped once it was neutralised", False),
    ("so much pain while he was injecting around my mouth", False),
    ("it hurt badly during the session and it still hurts so much now", True),
    # pain that will not stop, "killing me"
    ("my jaw is killing me", True),
    ("the ache hasn't stopped since the session on saturday", True),
])
def test_pain_during_and_after_the_treatment(text, urgent):
    assert assess_text(text).urgent is urgent, (text, assess_text(text).signs)
