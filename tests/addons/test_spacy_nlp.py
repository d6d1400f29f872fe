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
