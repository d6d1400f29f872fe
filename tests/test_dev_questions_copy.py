"""``evaluation/dev_questions.tsv`` is the repository's copy of the brief's real questions
(``../shared/dev_questions.tsv``): the NLU evaluation, its floor and the bench read the copy,
so nothing needs a file outside the repository. When the shared original is present
(developers' machines, CI), the copy must equal it; a missing copy fails the floor loudly."""
import csv
import importlib.util
import sys

import pytest

from tests.conftest import ROOT, SHARED

COPY = ROOT / "evaluation" / "dev_questions.tsv"


def _script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_copy_exists_and_has_the_questions():
    from clinic.nlu.evaluate import read_questions

    questions = read_questions(COPY)
    assert len(questions) >= 60
    assert all(q.text and q.accept for q in questions)


def test_the_copy_matches_the_shared_original():
    original = SHARED / "dev_questions.tsv"
    if not original.exists():
        pytest.skip("no ../shared beside the repository")
    assert COPY.read_bytes() == original.read_bytes(), (
        "the brief's questions changed: copy ../shared/dev_questions.tsv to evaluation/")


def test_every_reader_uses_the_repository_copy(monkeypatch):
    from bench.nlu import dev_set_path

    monkeypatch.delenv("BENCH_DEV_SET", raising=False)
    assert dev_set_path() == COPY
    assert _script("eval_nlu").DEV_QUESTIONS == COPY
    assert _script("split_corpus").DEV_QUESTIONS == COPY


def test_eval_nlu_refuses_to_run_without_the_copy(monkeypatch, tmp_path, capsys):
    eval_nlu = _script("eval_nlu")
    monkeypatch.setattr(eval_nlu, "DEV_QUESTIONS", tmp_path / "missing.tsv")
    monkeypatch.setattr(eval_nlu, "parse_all", lambda *a: pytest.fail("parsed without the dev questions"))
    monkeypatch.setattr(sys, "argv", ["eval_nlu.py", "--split", "dev", "--check", "--out", str(tmp_path)])
    with pytest.raises(SystemExit) as exit_:
        eval_nlu.main()
    assert exit_.value.code != 0
    assert "missing.tsv is missing" in capsys.readouterr().err


def test_split_corpus_keeps_the_brief_questions_out_of_every_split(tmp_path):
    split_corpus = _script("split_corpus")
    reserved = split_corpus.reserved_keys()
    with COPY.open(encoding="utf-8") as handle:
        first = next(csv.DictReader(handle, delimiter="\t"))
    assert split_corpus.key(first["text"]) in reserved
    with pytest.raises(SystemExit):
        split_corpus.reserved_keys(tmp_path / "missing.tsv")
