"""Keep the loaded model out of Python's full garbage collections.

Once the model is loaded, the Rasa process holds millions of long-lived objects
(TensorFlow graphs, spaCy's vocabulary and vectors, the domain, the rules). Python's
cyclic garbage collector walks all of them at every full (generation 2) collection,
with the event loop stopped: measured here under the bench's load, five such pauses of
up to 410 ms in one minute (1.45 s in all), and every conversation waits through them.
``gc.freeze()`` right after the model is loaded moves those objects to a permanent
generation that collections skip; the garbage that turns create is collected as before.
A model loaded later through the HTTP API is not frozen (it is collected as usual).
"""
from __future__ import annotations

import gc
from typing import Any

import rasa.core.run

_original_load_agent_on_start = rasa.core.run.load_agent_on_start


def freeze_long_lived_objects() -> None:
    """Collect what is garbage now, then exempt everything left from later collections."""
    gc.collect()
    gc.freeze()


async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
    """Rasa's ``load_agent_on_start``, then :func:`freeze_long_lived_objects`."""
    agent = await _original_load_agent_on_start(*args, **kwargs)
    freeze_long_lived_objects()
    return agent


def install() -> None:
    """Replace ``rasa.core.run.load_agent_on_start`` (registered in :mod:`addons.compat`)."""
    from addons import compat

    compat.install("gc_freeze")


def uninstall() -> None:
    from addons import compat

    compat.uninstall("gc_freeze")
