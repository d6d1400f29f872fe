"""python -m clinic treatments record / list."""
import pytest

import clinic.aftercare.service as service
import clinic.db
from clinic.__main__ import main
from tests.clinic.aftercare.conftest import NOW


@pytest.fixture(autouse=True)
def fixed(factory, monkeypatch):
    monkeypatch.setattr(clinic.db, "default_session_factory", lambda: factory)
    real = service.clinic_today
    monkeypatch.setattr(service, "clinic_today", lambda now=None: real(now or NOW))
    monkeypatch.setattr(service, "known_practitioners", lambda session: {"layla-haddad", "arjun-menon"})


def test_record_and_list(capsys):
    assert main(["treatments", "record", "wa-971501234567", "--date", "2026-12-01", "--area", "face",
                 "--practitioner", "layla-haddad", "--by", "sara"]) == 0
    assert "recorded treatment 1: wa-971501234567 on 2026-12-01, face, layla-haddad" in capsys.readouterr().out
    assert main(["treatments", "list", "+971 50 123 4567"]) == 0
    out = capsys.readouterr().out
    assert "2026-12-01" in out and "recorded by sara" in out


@pytest.mark.parametrize("args, error", [
    (["--date", "2026-12-09"], "in the future"),
    (["--date", "01/12/2026"], "not a date in the form YYYY-MM-DD"),
    (["--practitioner", "dr-a"], "Unknown practitioner 'dr-a'"),
])
def test_errors_are_one_line_for_staff(capsys, args, error):
    base = {"--date": "2026-12-01", "--area": "face", "--practitioner": "layla-haddad", "--by": "sara"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = ["treatments", "record", "wa-971501234567"] + [x for pair in base.items() for x in pair]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and error in err and err.count("\n") == 1


def test_list_unknown_conversation(capsys):
    assert main(["treatments", "list", "web-" + "0" * 32]) == 2
    assert "Unknown conversation" in capsys.readouterr().err
    assert main(["treatments", "list", "wa-971501234567"]) == 0
    assert "no treatments recorded" in capsys.readouterr().out


def test_purge_uses_the_retention_period(capsys, factory):
    from datetime import date

    service.record_treatment(factory, "wa-971501234567", date(2026, 1, 5), "face", "layla-haddad", "sara", now=NOW,
                             practitioners={"layla-haddad"})
    assert main(["treatments", "purge", "--days", "0"]) == 2
    assert main(["treatments", "purge", "--days", "400"]) == 0
    assert "removed: 0" in capsys.readouterr().out
    assert main(["treatments", "purge"]) == 0  # retention_days from clinic.yml (365)
    assert "removed: 0" in capsys.readouterr().out
    assert main(["treatments", "purge", "--days", "300"]) == 0
    assert "older than 300 days removed: 1" in capsys.readouterr().out
