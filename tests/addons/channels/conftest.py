"""Fixtures for the channel blueprints: a channel database and a fake Graph/Twilio API."""
from __future__ import annotations

import pytest

from addons.channels.messaging import ChannelStore
from clinic.aftercare.models import AftercareOptIn, Photo
from clinic.channels import models
from clinic.handoff.models import Handoff, StaffAccount
from clinic.db import Base, make_engine, make_session_factory
from tests.fakes.graph_api import FakeGraphAPI

TABLES = [models.InboundMessage.__table__, models.Contact.__table__, models.Media.__table__,
          models.Choices.__table__, models.Undelivered.__table__,
          # a photo opens a handoff for staff and is kept by clinic.aftercare.photos
          StaffAccount.__table__, Handoff.__table__, Photo.__table__, AftercareOptIn.__table__]


@pytest.fixture(autouse=True)
def photo_dir(tmp_path, monkeypatch):
    """Photos the channel keeps go to the test's own directory."""
    monkeypatch.setenv("PHOTO_DIR", str(tmp_path / "photos"))
    return tmp_path / "photos"


@pytest.fixture
def factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'channels.db'}")
    Base.metadata.create_all(engine, tables=TABLES)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def channel_store(factory):
    return ChannelStore(factory)


@pytest.fixture
def fake_api():
    with FakeGraphAPI() as server:
        yield server
