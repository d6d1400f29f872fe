"""The Rasa server freezes what it holds once the model is loaded."""
import asyncio
import gc

import rasa.core.run

from addons.speedups import gc_freeze


def test_loading_the_agent_then_freezes_everything_alive(monkeypatch):
    loaded = object()
    calls = []

    async def fake_load(*args, **kwargs):
        calls.append((args, kwargs))
        return loaded

    monkeypatch.setattr(gc_freeze, "_original_load_agent_on_start", fake_load)
    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", rasa.core.run.load_agent_on_start)
    gc_freeze.install()
    assert rasa.core.run.load_agent_on_start is gc_freeze.load_agent_on_start
    try:
        gc.unfreeze()
        assert gc.get_freeze_count() == 0
        result = asyncio.run(rasa.core.run.load_agent_on_start("model.tar.gz", None, None, app=None, loop=None))
        assert result is loaded
        assert calls == [(("model.tar.gz", None, None), {"app": None, "loop": None})]
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
