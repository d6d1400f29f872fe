"""Validate the action server's answers with a validator built once.

After every custom action, Rasa 3.6 checks the action server's JSON against its response
schema with ``jsonschema.validate`` (``RemoteAction._validate_action_result``). That
function first validates the *schema itself* against the JSON Schema 2020-12 metaschema
and builds a new validator, on every call: about 60 ms of CPU per custom action on these
machines, on Rasa's event loop, so every other conversation waits. The schema never
changes, so it is checked and compiled once here; each answer is then validated against
it exactly as before (same schema, same error chosen by ``best_match``, same message).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=None)
def response_validator() -> Any:
    """A validator for :meth:`RemoteAction.action_response_format_spec` (checked once)."""
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Drop-in for ``RemoteAction._validate_action_result``: True, or ``ValidationError``."""
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Replace ``RemoteAction._validate_action_result`` (registered in :mod:`addons.compat`)."""
    from addons import compat

    compat.install("action_response")


def uninstall() -> None:
    from addons import compat

    compat.uninstall("action_response")


__all__ = ["ValidationError", "install", "response_validator", "uninstall", "validate_action_result"]
