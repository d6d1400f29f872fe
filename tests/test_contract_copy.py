"""``docs/nlu-contract.md`` is the repository's copy of the client's NLU contract
(``../shared/nlu-contract.md``), so the tests need nothing outside the repository.
When the shared original is present (developers' machines, CI), the copy must match it."""
import pytest

from tests.conftest import ROOT, SHARED

COPY = ROOT / "docs" / "nlu-contract.md"


def test_the_copy_exists_and_names_the_faq_keys():
    text = COPY.read_text(encoding="utf-8")
    assert "`faq/what_is`" in text and "## Other intents" in text


def test_the_copy_matches_the_shared_original():
    original = SHARED / "nlu-contract.md"
    if not original.exists():
        pytest.skip("no ../shared beside the repository")
    assert COPY.read_text(encoding="utf-8") == original.read_text(encoding="utf-8"), (
        "the client changed the contract: copy ../shared/nlu-contract.md to docs/ and follow it")
