"""A learned second opinion: similarity to example warning-sign reports.

The rules miss paraphrases their lexicon lacks. This signal embeds a message with the
shared sentence encoder (:class:`clinic.nlu.encoder.SentenceEncoder`, loaded once per
process) and compares it with short example reports written by the team (below; not
taken from any evaluation row): a message is flagged when it is close to an urgent
example (cosine >= :data:`THRESHOLD`) *and* clearly closer to it than to any calm
example (ordinary after-effects, general questions) by :data:`MARGIN`. It only ever adds
a flag to what the rules missed, and it is skipped for Arabic (the encoder is English).
Thresholds were chosen on ``evaluation/triage/dev.tsv`` (false alarms on its questions).
"""
from __future__ import annotations

import threading
from typing import List, Optional, Sequence, Tuple

import numpy as np

THRESHOLD = 0.50
MARGIN = 0.12
# with the intent classifier's own urgent_symptom confidence at least this, a lower bar
CLASSIFIER_CONFIDENCE = 0.5
CLASSIFIER_THRESHOLD = 0.45
CLASSIFIER_MARGIN = 0.05

# (report, category, emergency)
URGENT_EXAMPLES: Tuple[Tuple[str, str, bool], ...] = (
    ("there is pus coming out of the injection points", "infection", False),
    ("yellow stuff is leaking from my cheek where the needles went", "infection", False),
    ("my face feels hot and the redness keeps getting bigger", "infection", False),
    ("I have a high temperature and shivers since the treatment", "infection", False),
    ("the spots from the session look infected and angry", "infection", False),
    ("I feel feverish and unwell after my facial injections", "infection", False),
    ("a painful pimple full of pus came up where I was injected", "infection", False),
    ("the treated skin smells bad and is crusting yellow", "infection", False),
    ("my lips blew up overnight after the filler", "allergic", False),
    ("I broke out in itchy welts all over after the injections", "allergic", False),
    ("my eyes are so puffy I can hardly open them", "allergic", False),
    ("I think I am having a bad reaction to the treatment, my face is itchy and swollen", "allergic", False),
    ("my face ballooned up a few hours after the session", "allergic", False),
    ("I can hardly get air in and my chest feels tight", "allergic", True),
    ("it feels like my throat is closing up", "allergic", True),
    ("my tongue feels big and it is hard to swallow", "allergic", True),
    ("I am wheezing and struggling to breathe after the injection", "allergic", True),
    ("the skin where they injected went pale and then dusky", "vascular", False),
    ("a patch near the filler looks purple and mottled and feels cold", "vascular", False),
    ("my lip turned white and is not getting its colour back", "vascular", False),
    ("blisters and open sores appeared on the treated area", "tissue_damage", False),
    ("the skin is raw and weeping after the peel", "tissue_damage", False),
    ("the wound from the needle will not heal and keeps bleeding", "tissue_damage", False),
    ("there is a hard lump that keeps growing under the skin", "lump", False),
    ("weeks after the filler a tender red lump appeared", "lump", False),
    ("the nodule is getting bigger and hurts when I touch it", "lump", False),
    ("the pain is unbearable and painkillers do nothing", "pain", False),
    ("the pain is getting worse every day instead of better", "pain", False),
    ("it is killing me, the whole cheek is throbbing", "pain", False),
    ("I feel dizzy and sick since the treatment", "systemic", False),
    ("I nearly fainted after the injections", "systemic", True),
    ("my vision went blurry right after the filler", "systemic", True),
    ("I cannot see properly out of one eye since the injection", "systemic", True),
    ("my lips have gone a bluish colour", "systemic", True),
    ("half my face is still numb days later", "numbness", False),
    ("the swelling is huge and getting worse each day", "swelling", False),
    ("my face is massively swollen on one side", "swelling", False),
    ("it was healing but now it looks much worse", "worsening", False),
    ("the redness is spreading down my neck", "worsening", False),
    # families added with the fourth unseen batch (helper "triage4"; own words, no evaluation row)
    ("my neck has swollen up and it feels tight when I breathe", "allergic", True),
    ("I had to use my EpiPen after the injections", "allergic", True),
    ("I think I am going into anaphylactic shock", "allergic", True),
    ("there is a heavy pressure on my chest and I feel short of air", "allergic", True),
    ("my voice has gone hoarse and my lips keep swelling", "allergic", True),
    ("the hives have spread all over my chest, back and arms", "allergic", False),
    ("I am itching all over my body and my eyes are puffing up", "allergic", False),
    ("the skin around my mouth has a blue tinge", "systemic", True),
    ("I collapsed at home and woke up on the floor", "systemic", True),
    ("one side of my face dropped and my arm feels weak", "systemic", True),
    ("my cheek is so swollen I can barely open my jaw", "swelling", False),
    ("there is a red streak running up from the injection spot and I feel shivery", "infection", False),
    ("a hot painful swelling came up under my eye days after the treatment", "infection", False),
)
CALM_EXAMPLES: Tuple[str, ...] = (
    "a little redness after the session, like a mild sunburn",
    "some small bruises where the needles went",
    "tiny spots of blood right after microneedling",
    "my face is a bit tight and dry today",
    "the skin is flaking a little on day three",
    "slight swelling that is already going down",
    "the numbing cream left my face numb for an hour",
    "it stung a bit during the treatment",
    "what are the signs of an infection?",
    "what should I do if I get a fever after the session?",
    "can the treatment cause swelling or bruising?",
    "how long does the redness usually last?",
    "is it normal to be red for a day?",
    "is mesotherapy painful?",
    "how much does a session cost?",
    "can I wear makeup after the treatment?",
    "when can I exercise after the injections?",
    "which acne scars respond best to treatment?",
    "can I book an appointment for next week?",
    "I had a fever last month, can I still have the session?",
    "how many sessions will I need?",
    "does it work on stretch marks?",
    "can I go in the sun after my treatment?",
    "the bruise is turning yellow and fading",
    "I want to reschedule my appointment",
    "my results are not as good as I hoped",
    "is it safe during pregnancy?",
    "what is in the mesotherapy cocktail?",
    # the usual course after neighbouring procedures (helper "triage4", own words): alone, the signal
    # flagged 8 % of dev's expected reports at recall 0.37 on its urgent ones; with these, 1.6 % at 0.28
    "my arm was sore and I felt tired the day after my flu jab",
    "my lip was numb for a few hours after the dentist",
    "I felt a bit wobbly when I stood up but was fine after some water",
    "the peel made my skin tight and flaky but nothing hurts",
)

_lock = threading.Lock()
_cache: dict = {}


def _encoder():
    from clinic.nlu.encoder import SentenceEncoder

    return SentenceEncoder.load()


def _examples() -> Tuple[np.ndarray, np.ndarray]:
    with _lock:
        if "urgent" not in _cache:
            encoder = _encoder()
            _cache["urgent"] = encoder.encode([t for t, _, _ in URGENT_EXAMPLES])
            _cache["calm"] = encoder.encode(list(CALM_EXAMPLES))
    return _cache["urgent"], _cache["calm"]


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length sentence vectors (one encoder pass for all texts)."""
    return _encoder().encode(list(texts))


def is_general_question(text: str) -> bool:
    """A wh- question or a question that says nothing about the writer: never flagged by similarity."""
    from clinic.triage.scope import FIRST_PERSON, WH_START

    low = (text or "").lower().strip()
    if WH_START.search(low):
        return True
    return low.endswith("?") and not FIRST_PERSON.search(low)


def judge(vectors: np.ndarray, threshold: float = THRESHOLD,
          margin: float = MARGIN) -> List[Optional[Tuple[str, bool, float]]]:
    """For each vector: ``(category, emergency, similarity)`` of the nearest urgent example
    when the signal fires, else None."""
    urgent, calm = _examples()
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    to_urgent = vectors @ urgent.T
    to_calm = vectors @ calm.T
    out: List[Optional[Tuple[str, bool, float]]] = []
    for u_row, c_row in zip(to_urgent, to_calm, strict=True):
        best = int(np.argmax(u_row))
        score, calm_score = float(u_row[best]), float(c_row.max())
        if score >= threshold and score - calm_score >= margin:
            _, category, emergency = URGENT_EXAMPLES[best]
            out.append((category, emergency and score >= 0.7, score))
        else:
            out.append(None)
    return out


def scores(vectors: np.ndarray) -> np.ndarray:
    """(n, 2): the best similarity to an urgent example and to a calm one (for tuning)."""
    urgent, calm = _examples()
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    return np.stack([(vectors @ urgent.T).max(axis=1), (vectors @ calm.T).max(axis=1)], axis=1)
