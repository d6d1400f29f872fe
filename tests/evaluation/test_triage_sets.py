"""The triage corpus (evaluation/triage/, issue 15) keeps its promises: both splits parse
with the evaluator's own loader, ids are unique across the splits, labels and kinds are
the known ones, every real report names the public page it was copied from, no website
feeds both dev and test, no text is in both splits, and there are at least 300 real
reports in all."""
import importlib.util
import re
from collections import Counter

import pytest

from clinic.triage.evaluate import LABELS, load_corpus
from tests.conftest import ROOT

TRIAGE = ROOT / "evaluation" / "triage"
COLUMNS = ["id", "text", "label", "source", "kind"]
KIND_BY_PREFIX = {"R": "real", "W": "written", "Q": "question"}
# Issue 15 asks for 300 real reports; raise this as rows are added.
MIN_REAL_REPORTS = 452

spec = importlib.util.spec_from_file_location("split_corpus", ROOT / "scripts" / "split_corpus.py")
split_corpus = importlib.util.module_from_spec(spec)
spec.loader.exec_module(split_corpus)


@pytest.fixture(scope="module")
def splits():
    return {split: load_corpus(split, TRIAGE) for split in ("dev", "test")}


def normalised(text):
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def test_files_parse_with_the_expected_columns(splits):
    header = (TRIAGE / "dev.tsv").read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header == COLUMNS
    assert (TRIAGE / "test.tsv").read_text(encoding="utf-8").splitlines()[0].split("\t") == COLUMNS
    for split, rows in splits.items():
        assert rows, split
        for row in rows:
            assert list(row) == COLUMNS, (split, row)
            assert None not in row.values(), (split, row)  # no stray tab in a text


def test_ids_are_unique_across_splits(splits):
    ids = Counter(row["id"] for rows in splits.values() for row in rows)
    assert not [i for i, n in ids.items() if n > 1]


def test_labels_and_kinds_are_the_known_ones(splits):
    for split, rows in splits.items():
        for row in rows:
            assert row["label"] in LABELS, (split, row["id"])
            assert row["text"].strip() == row["text"] and row["text"], (split, row["id"])
            prefix = row["id"][:1]
            assert prefix in KIND_BY_PREFIX and row["id"][1:].isdigit(), (split, row["id"])
            assert row["kind"] == KIND_BY_PREFIX[prefix], (split, row["id"])
            if row["kind"] == "question":
                assert row["label"] == "question", (split, row["id"])
            elif row["kind"] == "real":  # a real report is a warning sign or an after-effect
                assert row["label"] != "question", (split, row["id"])


def test_every_real_report_names_its_page(splits):
    for split, rows in splits.items():
        for row in rows:
            if row["kind"] == "real":
                assert row["source"].startswith(("http://", "https://")), (split, row["id"])
            elif row["kind"] == "written":
                assert row["source"] == "written", (split, row["id"])


def test_no_website_feeds_both_splits(splits):
    sites = {split: {split_corpus.site(row["source"]) for row in rows
                     if row["source"].startswith(("http://", "https://"))}
             for split, rows in splits.items()}
    assert not sites["dev"] & sites["test"]


def test_no_text_is_in_both_splits(splits):
    texts = {split: {normalised(row["text"]) for row in rows} for split, rows in splits.items()}
    assert not texts["dev"] & texts["test"]


def test_at_least_300_real_reports(splits):
    real = [row for rows in splits.values() for row in rows if row["kind"] == "real"]
    assert len(real) >= MIN_REAL_REPORTS
    labels = Counter(row["label"] for row in real)
    assert set(labels) == {"urgent", "emergency", "expected"}, labels
