"""The spaCy pipeline is loaded once per process, without the parser and NER."""
import pytest

from addons.nlu import spacy_nlp
from tests.conftest import ROOT

MODEL = str(ROOT / ".venv" / "spacy" / "en_core_web_md")


def test_both_graph_nodes_share_one_loaded_pipeline():
    first = spacy_nlp.SpacyNLP.load_model(MODEL)
    second = spacy_nlp.SpacyNLP.load_model(MODEL)
    assert first.model is second.model
    assert "parser" not in first.model.pipe_names and "ner" not in first.model.pipe_names
    doc = first.model("Three days after my sessions the swelling got worse")
    assert [t.lemma_ for t in doc][:4] == ["three", "day", "after", "my"]
    assert doc.vector.shape == (300,)


def test_the_class_keeps_the_name_rasa_looks_up_for_model_from():
    assert spacy_nlp.SpacyNLP.__name__ == "SpacyNLP"


def test_a_missing_model_gets_rasas_set_up_instructions(tmp_path):
    from rasa.nlu.model import InvalidModelError

    with pytest.raises(InvalidModelError, match="spacy download"):
        spacy_nlp.SpacyNLP.load_model(str(tmp_path / "no-such-model"))


def test_release_takes_the_docs_off_after_rasas_own_spacy_nlp_put_them_on():
    from rasa.nlu.constants import SPACY_DOCS
    from rasa.nlu.utils.spacy_utils import SpacyNLP as RasaSpacyNLP
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    model = spacy_nlp.SpacyNLP.load_model(MODEL)
    [message] = RasaSpacyNLP(model, RasaSpacyNLP.get_default_config()).process(
        [Message({TEXT: "is swelling normal after mesotherapy"})], model)
    assert message.get(SPACY_DOCS[TEXT]) is not None
    [released] = spacy_nlp.ReleaseSpacyDocs().process([message])
    assert released.get(SPACY_DOCS[TEXT]) is None
    assert released.get(TEXT) == "is swelling normal after mesotherapy"


def test_release_is_last_in_the_pipeline():
    import yaml

    pipeline = [c["name"] for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]]
    assert pipeline[-1] == "addons.nlu.spacy_nlp.ReleaseSpacyDocs"


def _training_data(*texts):
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    return TrainingData([Message({TEXT: text, INTENT: "faq"}) for text in texts])


def test_training_examples_are_only_tokenised_and_messages_still_get_the_whole_pipeline():
    from rasa.nlu.constants import SPACY_DOCS
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    model = spacy_nlp.SpacyNLP.load_model(MODEL)
    config = {**spacy_nlp.SpacyNLP.get_default_config(), "tokens_only_in_training": True}
    component = spacy_nlp.SpacyNLP(model, config)
    enabled = list(model.model.pipe_names)
    data = component.process_training_data(_training_data("the swelling got worse after sessions"), model)
    doc = data.training_examples[0].get(SPACY_DOCS[TEXT])
    assert [t.text for t in doc] == ["the", "swelling", "got", "worse", "after", "sessions"]
    assert [t.tag_ for t in doc] == [""] * 6  # no tagger, no lemmatizer ran
    # the shared pipeline is whole again for the messages the server reads
    assert model.model.pipe_names == enabled and "lemmatizer" in enabled
    [message] = component.process([Message({TEXT: "the swelling got worse after sessions"})], model)
    assert [t.lemma_ for t in message.get(SPACY_DOCS[TEXT])][1:3] == ["swelling", "get"]


def test_without_the_setting_training_examples_get_rasas_whole_pipeline():
    from rasa.nlu.constants import SPACY_DOCS
    from rasa.shared.nlu.constants import TEXT

    model = spacy_nlp.SpacyNLP.load_model(MODEL)
    component = spacy_nlp.SpacyNLP(model, spacy_nlp.SpacyNLP.get_default_config())
    data = component.process_training_data(_training_data("three days after my sessions"), model)
    assert [t.lemma_ for t in data.training_examples[0].get(SPACY_DOCS[TEXT])][:2] == ["three", "day"]


def test_config_tokenises_training_examples_only():
    import yaml

    [spacy] = [c for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
               if c["name"] == "addons.nlu.spacy_nlp.SpacyNLP"]
    assert spacy["tokens_only_in_training"] is True


def test_the_triage_outside_rasa_reads_the_pipeline_the_assistant_serves():
    # tests, scripts/eval_triage.py and the bench run the triage on clinic.triage.nlp's
    # pipeline: the same components as the served one, so they measure what is served
    from clinic.triage import nlp

    assert nlp.EXCLUDED == spacy_nlp.EXCLUDED
