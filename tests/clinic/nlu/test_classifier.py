"""The classifier: TF-IDF and embedding features, flat labels ranked as Rasa needs them."""
import numpy as np
import pytest

from clinic.nlu.classifier import (ClassifierConfig, TextClassifier, english_input, normalise,
                                   rank_intents, with_question_mark)

TEXTS = ["how much does it cost", "what is the price", "price please", "cost of one session",
         "can i wear makeup after", "makeup the next day ok?", "when can i use foundation again",
         "hello", "hi there", "good morning",
         "what is the capital of peru", "book me a flight to paris", "play some music"]
LABELS = ["faq/price"] * 4 + ["faq/aftercare_makeup"] * 3 + ["greet"] * 3 + ["out_of_scope/other"] * 3


def fake_embed(texts):
    """A deterministic stand-in for the sentence encoder: one direction per topic word."""
    vocab = ["price", "cost", "makeup", "foundation", "hello", "hi", "flight", "music", "peru"]
    out = np.array([[1.0 if w in t.lower() else 0.0 for w in vocab] + [0.1] for t in texts])
    return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def trained():
    return TextClassifier(embed=fake_embed).fit(TEXTS, LABELS)


def test_it_learns_the_training_examples(trained):
    probs = trained.predict_proba(TEXTS)
    predicted = [trained.labels[i] for i in probs.argmax(axis=1)]
    assert predicted == LABELS
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_unseen_wording(trained):
    probs = trained.predict_proba(["HOW MUCH IS THE PRICE??", "makeup tmrw?"])
    assert [trained.labels[i] for i in probs.argmax(axis=1)] == ["faq/price", "faq/aftercare_makeup"]


def test_the_embedding_features_are_used():
    # with the encoder's features the word "foundation" (one training example) carries
    # the label; the same model without them is a different model
    with_embeddings = TextClassifier(embed=fake_embed).fit(TEXTS, LABELS)
    without = TextClassifier(embed=None).fit(TEXTS, LABELS)
    text = ["foundation?"]
    assert not np.allclose(with_embeddings.predict_proba(text), without.predict_proba(text))


def test_state_round_trip(trained):
    again = TextClassifier.from_state(trained.state(), embed=fake_embed)
    assert again.labels == trained.labels
    assert np.allclose(again.predict_proba(TEXTS), trained.predict_proba(TEXTS))


def test_bad_input_does_not_break_it(trained):
    texts = ["", "🙏🙏🙏", "$" * 20000, "كم السعر", "\x00\ud800?".encode("utf-8", "replace").decode()]
    probs = trained.predict_proba(texts)
    assert probs.shape == (len(texts), len(trained.labels))
    assert np.isfinite(probs).all()


def test_fit_refuses_mismatched_input():
    with pytest.raises(ValueError):
        TextClassifier().fit(["a"], [])


def test_normalise():
    assert normalise("  PLEEEASE   see https://x.com/a?b=1 ") == "pleease see urltoken"
    assert len(normalise("x" * 50000)) <= 1000


def test_config_from_dict_ignores_unknown_keys():
    config = ClassifierConfig.from_dict({"C": 3, "word_ngrams": [1, 3], "name": "x"})
    assert config.C == 3 and config.word_ngrams == (1, 3)


def test_rank_intents_sums_retrieval_keys():
    ranking = rank_intents(["faq/a", "faq/b", "greet", "out_of_scope/other"], [0.3, 0.25, 0.4, 0.05])
    assert ranking.top == ("faq", pytest.approx(0.55))
    assert [k for k, _ in ranking.keys["faq"]] == ["faq/a", "faq/b"]
    assert ranking.keys["faq"][0][1] == pytest.approx(0.3 / 0.55)
    assert dict(ranking.intents)["out_of_scope"] == pytest.approx(0.05)


def test_a_topic_spread_over_refined_keys_beats_one_other_key():
    labels = ["faq/aftercare_makeup", "faq/aftercare_sun", "faq/aftercare", "faq/price"]
    ranking = rank_intents(labels, [0.2, 0.2, 0.15, 0.45])
    keys = [k for k, _ in ranking.keys["faq"]]
    assert keys[0] == "faq/aftercare_makeup"  # aftercare together: 0.55 > 0.45
    assert keys[-1] == "faq/price"
    assert rank_intents(labels, [0.1, 0.1, 0.1, 0.7]).keys["faq"][0][0] == "faq/price"


def test_probabilities_are_scikit_learns():
    # the regression alone (knn_weight 0): scikit-learn's own probabilities
    model = TextClassifier(config=ClassifierConfig(knn_weight=0.0), embed=fake_embed).fit(TEXTS, LABELS)
    texts = TEXTS + ["makeup tmrw?", "", "price of flights to paris"]
    read = [model.typos().correct(with_question_mark(english_input(t))) for t in texts]  # what the model reads of each
    features = model._features([normalise(t) for t in read], fake_embed(read))
    expected = model._model.predict_proba(features)
    assert np.allclose(model.predict_proba(texts), expected, rtol=1e-10, atol=1e-12)


# -- the nearest-neighbour mix ------------------------------------------------------------

def nearest_labels(texts):
    """Brute force: the label of each text's most similar training example, per label the best."""
    similarity = fake_embed(texts) @ fake_embed(TEXTS).T
    labels = sorted(set(LABELS))
    best = np.array([[max(similarity[i, j] for j, label in enumerate(LABELS) if label == name)
                      for name in labels] for i in range(len(texts))])
    return labels, best


def test_the_mix_is_the_regression_plus_the_nearest_neighbours(trained):
    texts = TEXTS + ["makeup tmrw?", "", "price of flights to paris", "music on a flight"]
    plain = TextClassifier.from_state({**trained.state(), "vectors": None}, embed=fake_embed)
    labels, best = nearest_labels(texts)
    assert trained.labels == labels
    scores = np.exp((best - best.max(axis=1, keepdims=True)) / trained.config.knn_temperature)
    neighbours = scores / scores.sum(axis=1, keepdims=True)
    assert np.allclose(trained.neighbour_proba(fake_embed(texts)), neighbours, atol=1e-5)
    weight = trained.config.knn_weight
    assert 0 < weight < 1
    assert np.allclose(trained.predict_proba(texts),
                       (1 - weight) * plain.predict_proba(texts) + weight * neighbours, atol=1e-5)


def test_neighbours_alone_answer_with_the_closest_examples_label():
    # training examples of one label in a scrambled order: each label keeps its own vectors
    order = [12, 0, 7, 4, 9, 1, 11, 5, 2, 8, 10, 3, 6]
    texts, labels = [TEXTS[i] for i in order], [LABELS[i] for i in order]
    model = TextClassifier(config=ClassifierConfig(knn_weight=1.0), embed=fake_embed).fit(texts, labels)
    queries = ["foundation tomorrow", "music please", "cost?", "hi hi"]
    predicted = [model.labels[i] for i in model.predict_proba(queries).argmax(axis=1)]
    assert predicted == ["faq/aftercare_makeup", "out_of_scope/other", "faq/price", "greet"]


def test_a_model_saved_without_vectors_is_the_regression_alone(trained):
    state = {**trained.state(), "vectors": None, "starts": None}
    old = TextClassifier.from_state(state, embed=fake_embed)
    assert old.config.knn_weight == 0.0
    read = [old.typos().correct(with_question_mark(english_input(t))) for t in TEXTS]
    features = old._features([normalise(t) for t in read], fake_embed(read))
    assert np.allclose(old.predict_proba(TEXTS), old._model.predict_proba(features))


def test_no_encoder_no_neighbours():
    model = TextClassifier(embed=None).fit(TEXTS, LABELS)
    assert model._vectors is None
    probs = model.predict_proba(["price?"])
    assert np.allclose(probs.sum(), 1.0)


# -- the multilingual model: embeddings alone -------------------------------------------

def test_embedding_classifier_learns_and_round_trips():
    from clinic.nlu.classifier import EmbeddingClassifier, EmbeddingConfig

    model = EmbeddingClassifier(config=EmbeddingConfig(C=10), embed=fake_embed).fit(TEXTS, LABELS)
    probs = model.predict_proba(TEXTS)
    assert [model.labels[i] for i in probs.argmax(axis=1)] == LABELS
    assert np.allclose(probs.sum(axis=1), 1.0)
    again = EmbeddingClassifier.from_state(model.state(), embed=fake_embed)
    assert np.allclose(again.predict_proba(TEXTS), probs)
    assert model.predict_proba([]).shape == (0, len(model.labels))
    # ready-made vectors give the same answer as the encoder
    assert np.allclose(model.predict_proba(TEXTS, vectors=fake_embed(TEXTS)), probs)


def test_a_temperature_below_one_sharpens_the_same_ranking():
    from clinic.nlu.classifier import EmbeddingClassifier, EmbeddingConfig

    plain = EmbeddingClassifier(config=EmbeddingConfig(C=1), embed=fake_embed).fit(TEXTS, LABELS)
    sharp = EmbeddingClassifier.from_state(
        {**plain.state(), "config": {"C": 1, "temperature": 0.5}}, embed=fake_embed)
    p, q = plain.predict_proba(["price?"]), sharp.predict_proba(["price?"])
    assert p.argmax() == q.argmax() and q.max() > p.max()


# the Arabic route's TF-IDF of Arabic letters and its out_of_scope bias (config.yml)
AR_TEXTS = ["كم سعر الجلسة", "بكم الجلسة عندكم", "هل الإبر مؤلمة", "الجلسة توجع",
            "how much is it", "does it hurt", "كيف الطقس اليوم", "أبي أطلب بيتزا"]
AR_LABELS = ["faq/price", "faq/price", "faq/pain", "faq/pain",
             "faq/price", "faq/pain", "out_of_scope/other", "out_of_scope/other"]


def flat_embed(texts):
    """An encoder that tells nothing apart: only the TF-IDF blocks can."""
    return np.ones((len(texts), 4)) / 2.0


def test_arabic_letters_keeps_arabic_letters_in_one_spelling():
    from clinic.nlu.classifier import arabic_letters

    assert arabic_letters("هل الفراكشنال Laser مؤلمٌ؟") == "هل الفراكشنال مولم"
    assert arabic_letters("إبرة الـنضارة") == arabic_letters("ابره النضاره")
    assert arabic_letters("how much is it? 250") == ""


def test_the_arabic_tfidf_blocks_tell_apart_what_the_embedding_cannot():
    from clinic.nlu.classifier import EmbeddingClassifier, EmbeddingConfig

    alone = EmbeddingClassifier(config=EmbeddingConfig(C=10), embed=flat_embed).fit(AR_TEXTS, AR_LABELS)
    both = EmbeddingClassifier(config=EmbeddingConfig(C=10, tfidf_weight=1.0),
                               embed=flat_embed).fit(AR_TEXTS, AR_LABELS)
    tests = ["سعر الجلسة كم", "الإبر توجع"]
    assert [both.labels[i] for i in both.predict_proba(tests).argmax(axis=1)] == ["faq/price", "faq/pain"]
    assert np.allclose(alone.predict_proba(tests)[0], alone.predict_proba(tests)[1])
    # English text has no Arabic letters: an empty row, the vocabulary is Arabic only
    assert all(not any(c.isascii() and c.isalpha() for c in term)
               for term in both._char.vocabulary_)
    again = EmbeddingClassifier.from_state(both.state(), embed=flat_embed)
    assert np.allclose(again.predict_proba(tests), both.predict_proba(tests))


def test_a_model_saved_without_tfidf_loads_as_the_embedding_alone():
    from clinic.nlu.classifier import EmbeddingClassifier, EmbeddingConfig

    model = EmbeddingClassifier(config=EmbeddingConfig(C=10), embed=fake_embed).fit(TEXTS, LABELS)
    old = {k: v for k, v in model.state().items() if k not in ("word", "char")}
    assert np.allclose(EmbeddingClassifier.from_state(old, embed=fake_embed).predict_proba(TEXTS),
                       model.predict_proba(TEXTS))


def test_the_out_of_scope_bias_lowers_only_out_of_scope():
    import dataclasses

    from clinic.nlu.classifier import EmbeddingClassifier, EmbeddingConfig

    model = EmbeddingClassifier(config=EmbeddingConfig(C=1), embed=fake_embed).fit(TEXTS, LABELS)
    text = ["what is the capital of peru"]
    before = model.predict_proba(text)[0]
    model.config = dataclasses.replace(model.config, out_of_scope_bias=1.0)
    after = model.predict_proba(text)[0]
    column = model.labels.index("out_of_scope/other")
    assert after[column] < before[column]
    # the other labels keep their ratios (their logits are untouched)
    others = [i for i in range(len(model.labels)) if i != column]
    assert np.allclose(after[others] / after[others].sum(), before[others] / before[others].sum())
    assert np.isclose(after[column] / (1 - after[column]), before[column] / (1 - before[column]) * np.exp(-1.0))


def test_embedding_classifier_needs_an_encoder_or_vectors():
    from clinic.nlu.classifier import EmbeddingClassifier

    with pytest.raises(RuntimeError):
        EmbeddingClassifier().fit(TEXTS, LABELS)
    with pytest.raises(ValueError):
        EmbeddingClassifier(embed=fake_embed).fit(["a"], [])


def test_align_orders_columns_and_fills_unknown_labels():
    from clinic.nlu.classifier import align

    out = align(np.array([[0.2, 0.8]]), ["b", "a"], ["a", "b", "c"])
    assert out.tolist() == [[0.8, 0.2, 0.0]]


def test_booking_references_are_masked_the_same_way():
    from clinic.nlu.classifier import REFERENCE_WORDS, mask_references

    assert mask_references("cancel NS-7K3W please") == f"cancel {REFERENCE_WORDS} please"
    assert mask_references("move ns4hxr to friday") == f"move {REFERENCE_WORDS} to friday"
    assert mask_references("is #NS 7K3W still on?") == f"is {REFERENCE_WORDS} still on?"
    for text in ("nsa4 and snakes and business", "can i take nsaids after?", "NS-7K3B"):
        assert mask_references(text) == text


@pytest.mark.parametrize("typed, read", [
    ("how long will my results last", "how long will my results last?"),
    ("Whats the price!!", "Whats the price?"),
    ("is it painful.", "is it painful?"),
    ("can i come tmrw?", "can i come tmrw?"),      # has one
    ("ok cool", "ok cool"),                        # no question word first
    ("hi. how long does it take", "hi. how long does it take"),  # the first words decide
    ("issue with my booking", "issue with my booking"),          # a word, not "is"
])
def test_a_question_typed_without_its_mark_gets_one(typed, read):
    assert with_question_mark(typed) == read


def test_messages_are_read_with_their_slips_corrected_towards_the_training_words(trained):
    # "foundaton" is nothing the model saw and not everyday English: one slip from "foundation"
    typed = trained.predict_proba(["when can i use foundaton again"])
    assert np.allclose(typed, trained.predict_proba(["when can i use foundation again"]))
    assert trained.typos().correct("when can i use foundaton") == "when can i use foundation"
    assert trained.typos().correct("what is the cots") == "what is the cots"  # cats, cost, cuts ...
