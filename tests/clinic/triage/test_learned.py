"""What the learned warning-sign signal learns from (clinic/triage/learned.py)."""
from __future__ import annotations

import pytest

from clinic.triage import assess_texts, learned
from clinic.triage.evaluate import load_corpus


def test_the_training_file_is_the_dev_corpus_and_the_teams_reports():
    # regenerate it with: python scripts/cv_triage.py --write-training
    expected = learned.file_rows(load_corpus("dev"))
    assert learned.read_training_file() == expected
    assert {r["id"] for r in load_corpus("dev")} <= {r["id"] for r in expected}
    assert all(r["id"][0] in "RWQST" for r in expected)


def test_nlu_rows_are_english_and_the_same_sample_in_any_order():
    examples = [("urgent_symptom", "pus from the spots"), ("urgent_symptom", "في صديد"),
                ("faq", "how much is it"), ("greet", "hi"), ("faq", "كم السعر")]
    rows = learned.nlu_rows(examples)
    assert rows[0]["label"] == "warning" and {r["label"] for r in rows[1:]} == {"question"}
    assert {r["text"] for r in rows} == {"pus from the spots", "how much is it", "hi"}
    assert learned.nlu_rows(reversed(examples)) == rows


def test_targets_leave_unknown_emergencies_out():
    rows = [{"label": "warning"}, {"label": "emergency"}, {"label": "urgent"}, {"label": "question"}]
    assert learned.targets(rows) == ([True, True, True, False], [None, True, False, False])


def test_embedding_ahead_asks_for_every_piece_the_fit_embeds():
    # scripts/embed_examples.py fills the training cache with these, so the trainings embed none
    import numpy as np

    def recording(seen):
        def embed(texts):
            seen.extend(texts)
            return np.random.default_rng(len(seen)).normal(size=(len(texts), 16))
        return embed

    rows = [{"text": "my cheek is swollen and hot. there is pus now", "label": "urgent"},
            {"text": "cant breathe properly", "label": "emergency"},
            {"text": "a bit red today. is that ok? thanks", "label": "expected"},
            {"text": "how much is a session", "label": "question"}]
    fitted, ahead = [], []
    learned.fit(rows, recording(fitted))
    assert learned.embed_for_fit(rows, recording(ahead)) == len(ahead)
    assert ahead == fitted and len(set(fitted)) > len(rows)  # the sentences, not only the texts


def _encoder_installed():
    try:
        from clinic.nlu.encoder import package_model_dir

        return package_model_dir().exists()
    except Exception:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not _encoder_installed(), reason="sentence encoder not installed")
def test_fitted_signal_reads_own_words_reports():
    # own words, in no corpus; the rules miss the first three (none of their words)
    reports = ["air won't go into my lungs properly",
               "since last night the skin under my eye went a greyish colour and it feels cold",
               "my husband says i look like a balloon, my face got so big overnight and my eyes are closing"]
    calm = ["ok so day 3 after the meso and im a bit red and flaky but fine overall, thanks",
            "can i come on saturday instead of friday", "what are the side effects of filler"]
    rules = assess_texts(reports + calm)
    results = assess_texts(reports + calm, learned=True)
    assert not any(r.urgent for r in rules[:1])
    assert all(r.urgent for r in results[:3]) and any(r.learned for r in results[:3])
    assert not any(r.urgent for r in results[3:])
