"""The learned warning-sign model (clinic/triage/signal.py) on vectors made up for the test."""
from __future__ import annotations

import zlib

import numpy as np
import pytest

from clinic.triage.signal import SignalConfig, WarningSignModel, sentences, views

ALARM = {"pus", "fever", "blue", "breathe", "swollen", "faint"}


def fake_embed(texts):
    """Bag-of-words vectors: an alarm word pushes dimension 0, every word its own dimension."""
    out = np.zeros((len(texts), 32))
    for i, text in enumerate(texts):
        for word in text.lower().replace(".", " ").split():
            out[i, 1 + zlib.crc32(word.encode()) % 31] += 1.0
            out[i, 0] += 3.0 if word in ALARM else 0.0
        out[i] /= max(np.linalg.norm(out[i]), 1e-9)
    return out


URGENT = ["there is pus coming out", "i have a fever since the session", "my lips went blue",
          "i cannot breathe properly", "my face is swollen and hot", "i feel like i will faint"]
CALM = ["a little red today", "can i book for friday", "how much is a session", "slightly dry skin",
        "thank you so much", "the bruise is fading"]


def test_sentences_split_a_story_and_leave_a_short_message_whole():
    story = "Day one was fine. On day two my cheek swelled up badly! Now there is pus. Ok."
    assert sentences(story) == ["Day one was fine.", "On day two my cheek swelled up badly!", "Now there is pus. Ok."]
    assert sentences("my lips went blue") == []
    assert sentences("ok. thanks. my lips went blue") == []  # one sentence once short pieces are joined


def test_views_hold_the_whole_text_then_its_sentences_from_one_call():
    calls = []

    def embed(texts):
        calls.append(list(texts))
        return fake_embed(texts)

    story = "Day one was fine. On day two my cheek swelled up badly. Now there is pus coming out."
    out = views(["my lips went blue", story], embed)
    assert len(calls) == 1 and [v.shape[0] for v in out] == [1, 4]
    assert np.allclose(out[1][0], fake_embed([story])[0])


@pytest.mark.parametrize("config", [SignalConfig(pooling="whole", tfidf=False, threshold=0.5),
                                    SignalConfig(pooling="meanmax", tfidf=True, threshold=0.5),
                                    SignalConfig(pooling="max", tfidf=False, threshold=0.5)])
def test_fitted_model_separates_and_survives_its_state(config):
    texts = URGENT + CALM
    model = WarningSignModel(config).fit(views(texts, fake_embed), [True] * 6 + [False] * 6,
                                         [False, False, True, True, False, True] + [False] * 6, texts=texts)
    probe = ["pus and fever since yesterday", "can i book a session"]
    p = model.predict(views(probe, fake_embed), probe)
    assert p[0, 0] > 0.5 > p[1, 0]
    again = WarningSignModel.from_state(model.state())
    assert np.allclose(again.predict(views(probe, fake_embed), probe), p)
    judged = again.judge(views(probe, fake_embed), probe)
    assert judged[0] is not None and judged[0][0] == "warning_sign" and judged[1] is None


def test_pooling_and_tfidf_are_checked():
    with pytest.raises(ValueError):
        SignalConfig(pooling="sum")
    with pytest.raises(ValueError):
        SignalConfig(pooling="max", tfidf=True)
    with pytest.raises(RuntimeError):
        WarningSignModel().predict(views(["x"], fake_embed), ["x"])
    with pytest.raises(ValueError):
        WarningSignModel(SignalConfig(tfidf=False)).fit(views(URGENT, fake_embed), [True] * 6, [None] * 6)


def test_views_reuse_a_whole_text_vector_and_embed_only_sentences():
    calls = []

    def embed(texts):
        calls.append(list(texts))
        return fake_embed(texts)

    short, story = "my lips went blue", "Day one was fine. On day two my cheek swelled up badly. Now there is pus."
    given = fake_embed([short, story])
    reused = views([short, story], embed, whole=list(given))
    assert calls == [sentences(story)]  # the short message needs no call at all
    fresh = views([short, story], fake_embed)
    assert all(np.allclose(a, b) for a, b in zip(reused, fresh, strict=True))
    calls.clear()
    assert len(views([short], embed, whole=[given[0]])) == 1 and calls == []
