"""The real stack of tests/integration, for the conversations of this folder only.

The integration ``stack`` fixture's own code is imported and run (not copied) with this
module's scope: the stack stops when the conversations are done, so it does not run
beside the integration tests' stack for the rest of the session. When the action server
supports a fixed "now" (``actions.context.FIXED_NOW_ENV``), the variable is set
while the stack starts (its processes inherit the environment) and removed at once.
``CONVERSATIONS_MODEL`` runs the stack on another trained model (a private one being
developed) instead of models/current.tar.gz."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.conversations.engine import FIXED_NOW, FIXED_NOW_ENV, clock_can_be_fixed
from tests.integration import conftest as integration

start_stack = integration.start_stack  # what the session's ``stack`` fixture runs, once


@pytest.fixture(scope="module")
def fixed_stack(tmp_path_factory):
    """(the stack, its fixed now, or None when it runs on the real clock)."""
    model = os.environ.get("CONVERSATIONS_MODEL")
    if model:
        if not Path(model).is_file():
            pytest.fail(f"CONVERSATIONS_MODEL: no such model file {model}")
        # the integration fixture reads its module's MODEL when it starts the Rasa server
        integration.MODEL = Path(model)
    fixed = clock_can_be_fixed()
    chosen = os.environ.get(FIXED_NOW_ENV)
    if fixed and chosen is None:
        os.environ[FIXED_NOW_ENV] = FIXED_NOW
    running = start_stack(tmp_path_factory)
    try:
        started = next(running)
    finally:
        if fixed and chosen is None:
            os.environ.pop(FIXED_NOW_ENV, None)
    try:
        yield started, datetime.fromisoformat(chosen or FIXED_NOW).astimezone(timezone.utc) if fixed else None
    finally:
        running.close()  # the fixture's own teardown: stops the three servers
