"""scripts/split_corpus.py: websites (a GitHub repository counts as one) stay whole, and
--train-only adds rows to training alone, leaving the test and dev files untouched."""
import importlib.util
import sys

import pytest

from clinic.websites import site
from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("split_corpus", ROOT / "scripts" / "split_corpus.py")
split_corpus = importlib.util.module_from_spec(spec)
spec.loader.exec_module(split_corpus)

HEADER = "text\taccept\turl\tkind\n"


def test_a_github_repository_is_one_website():
    a = "https://github.com/Clinic/Site/blob/0123abc/src/faq.ts"
    assert site(a) == site("https://github.com/clinic/site/blob/4567def/pages/botox.md")
    assert site(a) == "github.com/clinic/site"
    assert site(a) != site("https://github.com/other/site/blob/0123abc/src/faq.ts")
    # other hosts are unchanged: the registrable domain
    assert site("https://www.a.co.uk/x") == "a.co.uk"
    assert site("https://dokudodo.github.io/page") == "github.io"


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """Test, dev, train and the brief's questions in tmp_path, as split_corpus reads them."""
    test, dev = tmp_path / "test.tsv", tmp_path / "dev.tsv"
    test.write_text(HEADER + "Is it painful?\tfaq/pain\thttps://tested.com/faq\tfaq_heading\n", encoding="utf-8")
    dev.write_text(HEADER + "Is there downtime?\tfaq/downtime\thttps://github.com/dev/site/blob/1/faq.md\t"
                   "faq_heading\n", encoding="utf-8")
    brief = tmp_path / "dev_questions.tsv"
    brief.write_text("text\taccept\ttopic\nHow much is it?\tfaq/price\tprice\n", encoding="utf-8")
    train = tmp_path / "real_questions.yml"
    split_corpus.write_train(train, [{"text": "Where are you?", "accept": "faq/location_hours",
                                      "url": "https://trained.com/a", "kind": "faq_heading"}])
    for name, path in {"TEST": test, "DEV": dev, "TRAIN": train, "DEV_QUESTIONS": brief}.items():
        monkeypatch.setattr(split_corpus, name, path)
    monkeypatch.setattr(split_corpus, "existing_training_texts", set)
    return tmp_path


def run(corpus, monkeypatch, rows, *options):
    new = corpus / "new.tsv"
    new.write_text(HEADER + "".join("\t".join(row) + "\tfaq_heading\n" for row in rows), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["split_corpus.py", *options, str(new)])
    assert split_corpus.main() == 0
    return {e.text: e for e in split_corpus.read_examples(split_corpus.TRAIN)}


def test_train_only_feeds_training_and_leaves_test_and_dev_alone(corpus, monkeypatch):
    before = {name: (corpus / name).read_bytes() for name in ("test.tsv", "dev.tsv")}
    big = [(f"Question {i} about scars?", "faq/scar_types", f"https://github.com/big/site/blob/1/q{i}.md")
           for i in range(10)]
    trained = run(corpus, monkeypatch, big + [
        ("Can I fly afterwards?", "faq/aftercare_flights", "https://github.com/dev/site/blob/2/other.md"),
        ("Can I wear makeup after?", "faq/aftercare_makeup", "https://tested.com/other-page"),
        ("IS IT PAINFUL?", "faq/pain", "https://github.com/new/site/blob/1/a.md"),
        ("Is there downtime?", "faq/downtime", "https://github.com/new/site/blob/1/a.md"),
        ("How much is it?", "faq/price", "https://github.com/new/site/blob/1/a.md"),
        ("What is Botox?", "out_of_scope", "https://github.com/new/site/blob/1/a.md"),
        ("Where are you located?", "faq/location_hours", "https://trained.com/b"),
    ], "--train-only")

    assert {name: (corpus / name).read_bytes() for name in before} == before
    # every new website goes to train, the largest too (the plain split would send it to test)
    assert {f"Question {i} about scars?" for i in range(10)} <= set(trained)
    assert trained["What is Botox?"].intent == "out_of_scope/other"
    assert trained["Where are you located?"].metadata["source"] == "https://trained.com/b"
    # websites of test or dev stay out of training; so do texts of test, dev and the brief
    for text in ("Can I fly afterwards?", "Can I wear makeup after?", "IS IT PAINFUL?",
                 "Is there downtime?", "How much is it?"):
        assert text not in trained
    assert "Where are you?" in trained


def test_without_the_option_new_websites_are_assigned_to_every_split(corpus, monkeypatch):
    rows = [(f"Question {i} about scars?", "faq/scar_types", f"https://github.com/big/site/blob/1/q{i}.md")
            for i in range(10)]
    trained = run(corpus, monkeypatch, rows)
    assert not set(trained) & {text for text, _, _ in rows}
    assert "Question 0 about scars?" in (corpus / "test.tsv").read_text(encoding="utf-8")
