from datetime import datetime

import pytest
from sqlalchemy import select

from clinic.privacy.consent import PRIVACY_NOTICE_VERSION, has_consent, record_consent
from clinic.privacy.models import ConsentRecord


def test_consent_is_recorded_with_version_time_and_conversation(dbs):
    when = datetime(2026, 11, 26, 8, 30)
    with dbs.factory.begin() as session:
        assert not has_consent(session, "conv-1")
        record_consent(session, "conv-1", "v1", channel="whatsapp", now=when)
    with dbs.factory.begin() as session:
        assert has_consent(session, "conv-1", "v1")
        assert has_consent(session, "conv-1", None)
        assert not has_consent(session, "conv-1")  # the current version was not agreed to
        assert not has_consent(session, "conv-2", None)
        [row] = session.execute(select(ConsentRecord)).scalars().all()
        assert (row.conversation_id, row.version, row.channel, row.given_at) == ("conv-1", "v1", "whatsapp", when)


def test_consent_is_idempotent_and_keeps_the_first_time(dbs):
    with dbs.factory.begin() as session:
        first = record_consent(session, "conv-1", now=datetime(2026, 1, 1))
        again = record_consent(session, "conv-1", now=datetime(2026, 2, 1))
        assert again.id == first.id and again.given_at == datetime(2026, 1, 1)
        assert again.version == PRIVACY_NOTICE_VERSION


@pytest.mark.parametrize("conversation_id,version", [("", "v1"), ("x" * 256, "v1"), ("c", ""), ("c", "v" * 33)])
def test_bad_input_is_refused(dbs, conversation_id, version):
    with dbs.factory.begin() as session:
        with pytest.raises(ValueError):
            record_consent(session, conversation_id, version)
