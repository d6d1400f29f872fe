"""clinic.nlu.examples: the one reader of data/nlu outside Rasa, checked against Rasa's own."""
import pytest
from rasa.shared.nlu.training_data.loading import load_data

from clinic.nlu.examples import NLU_DIR, Example, examples_on_disk, read_examples


@pytest.mark.slow  # Rasa reads every file (~4 s)
def test_reads_what_rasa_reads_file_by_file():
    # as sets: Rasa keeps one copy of an example written twice in a file, the reader both
    for path in sorted(NLU_DIR.glob("*.yml")):
        ours = {(e.intent, e.plain) for e in read_examples(path)}
        theirs = {(m.get("intent_response_key") or m.get("intent"), m.get("text"))
                  for m in load_data(str(path)).intent_examples}
        assert ours == theirs, path.name


def test_blocks_metadata_and_markup(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text('version: "3.1"\nnlu:\n'
                    '  - intent: faq/aftercare_sun\n    metadata:\n      source: "https://example.org/q"\n'
                    '    examples: |\n      - can i go to the beach\n      - sun after [friday](day)?\n'
                    '  - synonym: tmrw\n    examples: |\n      - tomorrow\n', encoding="utf-8")
    first, second = read_examples(path)
    assert first == Example("faq/aftercare_sun", "can i go to the beach", {"source": "https://example.org/q"})
    assert (second.text, second.plain, second.contract_intent) == (
        "sun after [friday](day)?", "sun after friday?", "faq")
    assert read_examples(tmp_path / "missing.yml") == []
    assert [e.text for e in examples_on_disk(tmp_path)] == ["can i go to the beach", "sun after [friday](day)?"]
