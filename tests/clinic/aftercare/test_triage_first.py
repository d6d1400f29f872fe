"""Warning signs go to triage first: "day 5 and it's hot and oozing" is urgent (the triage
component turns it into urgent_symptom), never answered for the day; expected effects are not."""
import pytest

from clinic.triage import assess_text
from clinic.triage.nlp import DEFAULT_MODEL

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed (make setup)")


@pytest.mark.parametrize("text", [
    "day 5 and it's hot and oozing",
    "day 3 after my session, the swelling is getting worse and there is pus",
    "it's been a week and the redness is spreading and I have a fever",
    # swelling should settle within a few days (the clinic's content): still swollen on day 5
    # is the course not settling (clinic.triage.course), so a nurse looks, even when asked as a question
    "is it normal to still be swollen on day 5?",
])
def test_warning_signs_on_a_given_day_are_urgent(text):
    assert assess_text(text).urgent is True


@pytest.mark.parametrize("text", [
    "is it normal to still be swollen on day 2?",
    "still swollen, is that ok?",
    "day 2 and a bit of bruising",
])
def test_expected_effects_on_a_given_day_are_not_urgent(text):
    assert assess_text(text).urgent is False
