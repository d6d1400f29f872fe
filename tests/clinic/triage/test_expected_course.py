"""The expected course told with alarming words, and the warning signs next to it (issue 15, helper "triage6").

Each family lets the rules pass one way patients tell the usual course: a history question
("i fainted once at a blood test, can i still do prp?"), a sign asked about as a condition ("if i get
fever should i call?"), a list of signs to watch for, a swelling or redness of the first day or two
asked about as normal, pinpoint bleeding, a bruise changing colour named in the sentence before, a
numb feeling of "the first day", a guess told afterwards ("i thought it was infected"), a story set
years back. Every family has cases that must still flag: the excuses are narrow. The messages are
the team's own words (WhatsApp style); no evaluation row is copied here.
"""
import pytest

from clinic.triage import assess_text
from clinic.triage.nlp import DEFAULT_MODEL

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


@pytest.mark.parametrize("text", [
    # a sign in one's past, asked about a treatment to come
    "i passed out once when they took blood for a test, can i still do the prp?",
    "had an allergic reaction to amoxicillin before, is it ok to do botox",
    "i was admitted to hospital for dengue in 2023, is it safe to do meso now?",
    "last time my lip swelled up from a bee sting, is filler ok for me?",
    "my sister had a bad reaction to fillers before, am i at risk too?",
    # a sign asked about as a condition
    "if i get fever after the session should i call u?",
    "shld i go to the hospital if my lips turn white after filler?",
    "if my face gets swollen tomorrow what do i do?",
    # what to watch for
    "the doctor said look out for signs of infection like pus or fever, for how many days?",
    "signs of infection to watch for after dermapen?",
    # the first day or two, asked about as normal
    "face bit swollen the day after the meso, is it ok",
    "my cheeks r puffy today after the session, normal?",
    "did my first prp today, the points bled a little and my face is puffy. is that expected?",
    # pinpoint bleeding
    "few pin prick spots bled after the microneedling, it stopped in a minute",
    "tiny dots of blood on the skin after dermapen, spots bled a bit",
    # a bruise changing colour, named in the sentence before
    "the doctor said the bruise goes purple then green then yellow. mine is purple now, day 2",
    # numbing cream blanching that came back
    "numbing cream made my upper lip go white for some time, then it came back normal",
    # numbness of the first day
    "my tongue tip went a bit numb after the dentist. it never came back after the first day",
    # a guess told afterwards
    "i thought it was infected and panicked but the nurse checked and said all good",
    # a story set years back, told in the past
    "i got my nose pierced when i was fifteen, it swelled up so bad the first week but healed fine",
    "my last flu jab was in 2009. i fainted and they called an ambulance. never happened again",
])
def test_expected_course_passes(text):
    assert not assess_text(text).urgent, assess_text(text)


@pytest.mark.parametrize("text", [
    # a report, not a history question
    "i had filler before and my lip went white, is it safe?",
    "my lip went white before, now its pink again, is it ok?",
    "my lips swelled up once i got home, is it ok to put ice?",
    "i fainted once in the clinic today, can i still drive home?",
    "my lips went white once during the filler yesterday, can i still do the top up?",
    "i had a reaction once, now my throat feels tight, can i take antihistamine?",
    "i fainted once after the session in the clinic, is it ok to drive?",
    "my lip went white before and now it feels cold, is it safe to sleep?",
    # a condition that is a report
    "if i get up i feel dizzy, is that normal?",
    "if my lip is white like this should i come in?",
    "if my face is this swollen should i go to hospital?",
    "if i get dizzy every time i stand up after botox should i worry?",
    "if i touch my cheek it hurts so bad, should i come in?",
    "if i press my cheek pus comes out, what should i do?",
    # signs named as one's own
    "i have signs of infection, pus and fever",
    "nurse told me to look out for signs of infection, and now theres pus coming out",
    # the first day, but more than mild or with an allergy
    "my face is very swollen the day after, is it normal?",
    "face swollen and itchy the day after treatment, is it ok?",
    "my eye is swollen shut the day after botox, is that normal?",
    "woke up this morning and my face is swollen and my throat feels tight, is it normal?",
    "my cheek is red hot and swollen today after the session, normal?",
    "i woke up this morning with my face swollen and my lips tingling, is it ok?",
    "first day after filler my cheek is swollen and white patches, normal?",
    # bleeding that is more than pinpoint
    "the spots keep bleeding",
    "the area is bleeding a lot after microneedling",
    # a bruise, then a colour that is no bruise's
    "i have a small bruise. my lip tip is turning white",
    "there is a bruise on my cheek. now it is turning grey and cold",
    "bruise on my lip yesterday. today its gone black",
    # numbness that lasts
    "my lip is numb since the first day, its day 5 now",
    # a story set long ago, then a report now
    "i got filler in 2019. a hard lump came up under my eye and it hurts",
    "had my lips done when i was 20, since yesterday the upper lip is swollen and hard",
    "I had filler in 2018 and now my lips are swollen and hot",
    "I had filler in 2019. My lip went white and then blue after the new syringe",
    "When I was 25 I had lip filler with no problem. I had a top up on Monday and my lip went grey",
    "back in 2015 i did botox. got it again and my eye drooped",
    "i had botox in 2015, i felt dizzy and then they called an ambulance after the session",
    # an eyelid that dropped; swelling back weeks later after going down
    "had botox 2 days ago and my eyelid dropped, is it safe to drive?",
    "the left eyelid dropped a bit after botox",
    "swelling went down but now its back and red, 3 weeks after",
])
def test_warning_signs_still_flag(text):
    assert assess_text(text).urgent, assess_text(text)


@pytest.mark.parametrize("text", ["i use eye drops for dry eyes, can i do botox", "put one eye drop in each eye"])
def test_eye_drops_are_no_drooping_eyelid(text):
    assert not assess_text(text).urgent


@pytest.mark.parametrize("text", [
    "my last flu jab was in 2009. i fainted and they called an ambulance. never happened again",
    "i passed out once when they took blood for a test, can i still do the prp?",
])
def test_history_is_no_emergency(text):
    assert not assess_text(text).emergency


@pytest.mark.parametrize("text", [
    "I got filler two weeks ago and my lip went hard and red",
    "i had botox a week ago and my eyelid drooped",
    "i had meso last week and got a fever",
    "i had prp 2 weeks ago and i got pus from 2 spots",
    "my lip filler last week went hard and red",
])
def test_a_sign_after_a_treatment_dated_in_the_past_is_a_report(text):
    """The time cue dates the treatment ("prp 2 weeks ago"), not the sign: no history."""
    assert assess_text(text).urgent


@pytest.mark.parametrize("text", ["i had fever last month, can i still do the session",
                                  "i had a rash last week from a new soap, can i come for botox tomorrow"])
def test_a_past_illness_without_a_treatment_stays_history(text):
    assert not assess_text(text).urgent
