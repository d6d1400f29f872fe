"""Every place the clinic replaces or extends Rasa's internals, registered and checked.

Rasa offers no hook for some of what the clinic changes (docs/performance.md, "Measured performance"),
so a few of its private functions, methods and classes are replaced at start-up or
overridden in subclasses. A renamed attribute or a changed signature in another Rasa
release would make such a change silently stop working (or break a turn). So each one
is listed here with the Rasa member it touches and that member's signature as written
for Rasa 3.6.21, and :func:`startup` checks all of them before Rasa starts:

* **patches** replace a Rasa attribute at start-up (``kind="replace"``: the validator of
  the action server's answers, the graph runner, the garbage-collection freeze, the
  training cache, the bounded parse, the API token of ``rasa run``) or override a Rasa
  method in a class the configuration names (``kind="override"``: the rule policy's
  states, the tracker store's reads and writes). Each can be uninstalled
  (:func:`uninstall`), after which Rasa's own code runs again;
* **extensions** are the subclasses whose behaviour *is* the feature (the Redis lock
  store, the response generator, the socket.io output, the spaCy loader, the tracker
  store's engine): they cannot be switched off, only checked.

At start-up (``python -m addons.rasa_cli``, which every Rasa command here goes through,
and ``addons.rasa_server`` for the versions) the installed Rasa and TensorFlow must be
the versions in :data:`VERSIONS` and every registered member must exist with the
expected signature (parameter names, kinds and defaults; annotations are ignored), and
must still contain the source text a patch depends on. On any mismatch the process
refuses to start with a message naming the patch, unless ``CLINIC_RASA_PATCHES=off``:
then no patch is installed, the overrides run Rasa's own code, the mismatches are only
logged, and Rasa behaves as stock (slower; the extensions still run).
"""
from __future__ import annotations

import importlib
import inspect
import logging
import os
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

logger = logging.getLogger(__name__)

SETTING = "CLINIC_RASA_PATCHES"  # "on" (default) or "off"
VERSIONS: Dict[str, str] = {"rasa": "3.6.21", "tensorflow": "2.12.0"}


class RasaIncompatible(RuntimeError):
    """The installed Rasa does not match what the clinic's patches were written for."""


# -- what a patch touches ---------------------------------------------------------------

_MISSING = object()


@dataclass(frozen=True)
class Target:
    """A member of Rasa: ``"module:Qualified.name"``.

    ``signature``: its parameters as ``inspect.signature`` shows them without
    annotations, e.g. ``"(self, result)"`` (a class: its constructor's); None checks only
    that it exists. ``source_has``: texts its source must contain (an attribute it
    assigns, a name it looks up at call time that a patch replaces).
    """

    path: str
    signature: Optional[str] = None
    source_has: Tuple[str, ...] = ()

    @property
    def module(self) -> str:
        return self.path.partition(":")[0]

    @property
    def owner_path(self) -> str:
        module, _, qualname = self.path.partition(":")
        head, _, _ = qualname.rpartition(".")
        return f"{module}:{head}" if head else module

    @property
    def attribute(self) -> str:
        return self.path.partition(":")[2].rpartition(".")[2]

    def owner(self) -> Any:
        module, _, qualname = self.path.partition(":")
        obj: Any = importlib.import_module(module)
        for part in qualname.split(".")[:-1]:
            obj = getattr(obj, part)
        return obj

    def resolve(self) -> Any:
        """The member itself (raises ``ImportError``/``AttributeError`` when gone)."""
        owner = self.owner()
        value = inspect.getattr_static(owner, self.attribute, _MISSING) if inspect.isclass(owner) else _MISSING
        if value is _MISSING:
            value = getattr(owner, self.attribute, _MISSING)
        if value is _MISSING:
            fields = getattr(owner, "__dataclass_fields__", {})
            if self.attribute in fields:  # a dataclass field without a class default
                return fields[self.attribute]
            raise AttributeError(f"{self.owner_path} has no attribute {self.attribute!r}")
        return value

    def problem(self, value: Any = _MISSING) -> Optional[str]:
        """What is wrong with the member as installed (None: it fits)."""
        try:
            if value is _MISSING:
                value = self.resolve()
        except (ImportError, AttributeError) as error:
            return f"{self.path} is gone ({error})"
        function = _function_of(value)
        if self.signature is not None:
            found = plain_signature(function)
            if found != self.signature:
                return f"{self.path} has the signature {found}, expected {self.signature}"
        if self.source_has:
            try:
                source = inspect.getsource(function)
            except (OSError, TypeError):
                return f"{self.path}: its source cannot be read to check it"
            missing = [text for text in self.source_has if text not in source]
            if missing:
                return f"{self.path} no longer contains {', '.join(repr(m) for m in missing)}"
        return None


def _function_of(value: Any) -> Any:
    if isinstance(value, (staticmethod, classmethod)):
        return value.__func__
    if isinstance(value, property):
        return value.fget
    return value


def plain_signature(value: Any) -> str:
    """``inspect.signature`` without annotations (``"(self, result)"``); a class: ``__init__``'s."""
    value = _function_of(value)
    try:
        if inspect.isclass(value):
            signature = inspect.signature(value.__init__)
        else:
            signature = inspect.signature(value)
    except (TypeError, ValueError):
        return "(not callable)"
    parameters = [p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()]
    return str(signature.replace(parameters=parameters, return_annotation=inspect.Signature.empty))


# -- the registry -----------------------------------------------------------------------

REPLACE, OVERRIDE, EXTENSION = "replace", "override", "extension"


@dataclass(frozen=True)
class Patch:
    """One change to Rasa, where it lives and what of Rasa it needs.

    ``replaces``: for ``kind="replace"``, the Rasa attributes set at install, each with
    the ``"module:name"`` of its replacement; for ``"override"``, the Rasa methods the
    subclass overrides (no replacement: the subclass asks :func:`active`).
    ``keep_original``: where the replacement finds the attribute it replaced.
    """

    name: str
    kind: str
    module: str  # where the clinic's code is (for the messages)
    replaces: Tuple[Tuple[Target, str], ...] = ()
    relies_on: Tuple[Target, ...] = ()
    keep_original: Tuple[str, ...] = ()
    required: bool = False  # installed and checked even with CLINIC_RASA_PATCHES=off

    def targets(self) -> Tuple[Target, ...]:
        return tuple(target for target, _ in self.replaces) + self.relies_on


def _sig(path: str, signature: Optional[str] = None, *source_has: str) -> Target:
    return Target(path, signature, tuple(source_has))


PATCHES: Tuple[Patch, ...] = (
    Patch(
        "action_response", REPLACE, "addons/speedups/action_response.py",
        replaces=((_sig("rasa.core.actions.action:RemoteAction._validate_action_result", "(self, result)"),
                   "addons.speedups.action_response:validate_action_result"),),
        relies_on=(_sig("rasa.core.actions.action:RemoteAction.action_response_format_spec", "()"),
                   _sig("rasa.core.actions.action:RemoteAction.run", None, "self._validate_action_result("),
                   _sig("rasa.shared.constants:DOCS_BASE_URL")),
    ),
    Patch(
        "gc_freeze", REPLACE, "addons/speedups/gc_freeze.py",
        replaces=((_sig("rasa.core.run:load_agent_on_start",
                        "(model_path, endpoints, remote_storage, app, loop)"),
                   "addons.speedups.gc_freeze:load_agent_on_start"),),
        # serve_application looks the function up in its module when it starts the server
        relies_on=(_sig("rasa.core.run:serve_application", None, "load_agent_on_start"),),
    ),
    Patch(
        "graph_runner", REPLACE, "addons/speedups/graph_runner.py",
        replaces=((_sig("rasa.core.processor:DaskGraphRunner",
                        "(self, graph_schema, model_storage, execution_context, hooks=None)"),
                   "addons.speedups.graph_runner:SequentialGraphRunner"),),
        relies_on=(
            _sig("rasa.core.processor:MessageProcessor._load_model", None, "DaskGraphRunner"),
            _sig("rasa.engine.runner.dask:DaskGraphRunner.__init__", None,
                 "self._graph_schema =", "self._instantiated_nodes"),
            _sig("rasa.engine.runner.dask:DaskGraphRunner.run", "(self, inputs=None, targets=None)"),
            _sig("rasa.engine.graph:GraphSchema.minimal_graph_schema", "(self, targets=None)"),
            _sig("rasa.engine.graph:GraphSchema.target_names"),
            _sig("rasa.engine.graph:SchemaNode.needs"),
            _sig("rasa.engine.exceptions:GraphRunError"),
        ),
    ),
    Patch(
        "training_cache", REPLACE, "addons/speedups/training_cache.py",
        replaces=(
            (_sig("rasa.engine.training.graph_trainer:TrainingHook", "(self, cache, model_storage, pruned_schema)"),
             "addons.speedups.training_cache:NoTrainingCache"),
            (_sig("rasa.engine.training.graph_trainer:GraphTrainer.train",
                  "(self, model_configuration, importer, output_filename, force_retraining=False, "
                  "is_finetuning=False)", "TrainingHook("),
             "addons.speedups.training_cache:train_from_scratch"),
        ),
        relies_on=(
            _sig("rasa.engine.graph:GraphNodeHook.on_before_node",
                 "(self, node_name, execution_context, config, received_inputs)"),
            _sig("rasa.engine.graph:GraphNodeHook.on_after_node",
                 "(self, node_name, execution_context, config, output, input_hook_data)"),
        ),
        keep_original=("addons.speedups.training_cache:_rasa_hook", "addons.speedups.training_cache:_rasa_train"),
    ),
    Patch(
        "bounded_parse", REPLACE, "addons/nlu/bounded_parse.py",
        replaces=((_sig("rasa.core.processor:MessageProcessor.parse_message",
                        "(self, message, tracker=None, only_output_properties=True)"),
                   "addons.nlu.bounded_parse:parse_message"),),
        relies_on=(
            _sig("rasa.core.processor:MessageProcessor.__init__", None, "self.http_interpreter ="),
            _sig("rasa.core.processor:MessageProcessor._parse_message_with_graph",
                 "(self, message, tracker, only_output_properties=True)"),
            _sig("rasa.core.processor:MessageProcessor._update_full_retrieval_intent", "(self, parse_data)"),
            _sig("rasa.core.processor:MessageProcessor._check_for_unseen_features", "(self, parse_data)"),
        ),
        keep_original=("addons.nlu.bounded_parse:_original_parse_message",),
    ),
    Patch(
        "cli_auth_token", REPLACE, "addons/rasa_cli.py",
        replaces=((_sig("rasa.cli.run:run", "(args)"), "addons.rasa_cli:run_with_token"),),
        # the parser's default ``func`` is looked up when the parser is built
        relies_on=(_sig("rasa.cli.run:add_subparser", None, "set_defaults(func=run)"),),
        keep_original=("addons.rasa_cli:_rasa_run",),
        # not a speed-up: without it ``rasa run --enable-api`` would serve the API unauthenticated
        required=True,
    ),
    Patch(
        "rule_policy_states", OVERRIDE, "addons/policies/rule_policy.py",
        replaces=((_sig("rasa.core.policies.rule_policy:RulePolicy._prediction_states",
                        "(self, tracker, domain, use_text_for_last_user_input=False, rule_only_data=None)"),
                   ""),),
        relies_on=(
            _sig("rasa.core.policies.rule_policy:RulePolicy._rule_key_to_state", "(rule_key)"),
            _sig("rasa.core.policies.rule_policy:RULES"),
            _sig("rasa.core.policies.rule_policy:RULES_FOR_LOOP_UNHAPPY_PATH"),
            _sig("rasa.core.policies.memoization:MemoizationPolicy.__init__", None, "self.lookup ="),
            _sig("rasa.core.featurizers.tracker_featurizers:TrackerFeaturizer._choose_last_user_input",
                 "(self, trackers_as_states, use_text_for_last_user_input)"),
            _sig("rasa.shared.core.domain:Domain._clean_state", "(state)"),
            _sig("rasa.shared.core.domain:Domain.get_active_state", "(self, tracker, omit_unset_slots=False)"),
            _sig("rasa.shared.core.trackers:DialogueStateTracker.init_copy", "(self)"),
            _sig("rasa.shared.core.trackers:DialogueStateTracker.applied_events", "(self)"),
        ),
    ),
    Patch(
        "tracker_store_io", OVERRIDE, "addons/tracker_store.py",
        replaces=(
            (_sig("rasa.core.tracker_store:SQLTrackerStore._retrieve",
                  "(self, sender_id, fetch_events_from_all_sessions)"), ""),
            (_sig("rasa.core.tracker_store:SQLTrackerStore.save", "(self, tracker)"), ""),
        ),
        relies_on=(
            _sig("rasa.core.tracker_store:SQLTrackerStore._event_query",
                 "(self, session, sender_id, fetch_events_from_all_sessions)"),
            _sig("rasa.core.tracker_store:SQLTrackerStore.SQLEvent"),
            _sig("rasa.core.tracker_store:TrackerStore.stream_events", "(self, tracker)"),
            _sig("rasa.shared.core.events:Event.resolve_by_type", "(type_name, default=None)"),
            _sig("rasa.shared.core.events:Event._from_parameters", "(cls, parameters)"),
        ),
    ),
    Patch(
        "tracker_store_engine", EXTENSION, "addons/tracker_store.py",
        relies_on=(
            _sig("rasa.core.tracker_store:SQLTrackerStore.__init__", None,
                 "self.engine =", "self.sessionmaker ="),
            _sig("rasa.core.tracker_store:create_engine_kwargs", "(url)"),
        ),
    ),
    Patch(
        "lock_store", EXTENSION, "addons/lock_store.py",
        relies_on=(
            _sig("rasa.core.lock_store:LockStore._acquire_lock",
                 "(self, conversation_id, ticket, wait_time_in_seconds)"),
            _sig("rasa.core.lock_store:LockStore.issue_ticket",
                 "(self, conversation_id, lock_lifetime=60)"),
            _sig("rasa.core.lock_store:LockStore.update_lock", "(self, conversation_id)"),
            _sig("rasa.core.lock_store:LockStore.cleanup", "(self, conversation_id, ticket_number)"),
            _sig("rasa.core.lock_store:LockStore.lock",
                 "(self, conversation_id, lock_lifetime=60, wait_time_in_seconds=1)"),
            _sig("rasa.core.lock_store:DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX"),
            _sig("rasa.core.lock:TicketLock.from_dict", "(cls, data)"),
            _sig("rasa.core.lock:TicketLock.dumps", "(self)"),
            _sig("rasa.core.lock:TicketLock.remove_expired_tickets", "(self)"),
            _sig("rasa.core.lock:TicketLock.remove_ticket_for", "(self, ticket_number)"),
            _sig("rasa.core.lock:Ticket", "(self, number, expires)"),
        ),
    ),
    Patch(
        "response_generator", EXTENSION, "addons/nlg.py",
        relies_on=(
            _sig("rasa.core.nlg.response:TemplatedNaturalLanguageGenerator._random_response_for",
                 "(self, utter_action, output_channel, filled_slots)"),
            _sig("rasa.core.nlg.response:TemplatedNaturalLanguageGenerator.generate_from_slots",
                 "(self, utter_action, filled_slots, output_channel, **kwargs)", "self._random_response_for("),
            _sig("rasa.core.nlg.generator:ResponseVariationFilter.responses_for_utter_action",
                 "(self, utter_action, output_channel, filled_slots)"),
        ),
    ),
    Patch(
        "socketio_output", EXTENSION, "addons/channels/socketio.py",
        relies_on=(_sig("rasa.core.channels.socketio:SocketIOOutput._send_message", "(self, socket_id, response)"),),
    ),
    Patch(
        "spacy_loader", EXTENSION, "addons/nlu/spacy_nlp.py",
        relies_on=(_sig("rasa.nlu.utils.spacy_utils:SpacyNLP.load_model", "(spacy_model_name)"),),
    ),
)

BY_NAME: Dict[str, Patch] = {patch.name: patch for patch in PATCHES}


# -- the switch -------------------------------------------------------------------------

def enabled(env: Optional[Mapping[str, str]] = None) -> bool:
    """False when ``CLINIC_RASA_PATCHES`` is ``off`` (also ``0``, ``false``, ``no``)."""
    value = (os.environ if env is None else env).get(SETTING, "on").strip().lower()
    return value not in ("off", "0", "false", "no")


@dataclass
class _State:
    # replaced attribute -> Rasa's value it replaced, per patch
    originals: Dict[str, Dict[Target, Any]] = field(default_factory=dict)
    # overrides switched off (uninstalled, or patches off)
    overrides_off: set = field(default_factory=set)


_state = _State()
if not enabled():
    _state.overrides_off.update(p.name for p in PATCHES if p.kind == OVERRIDE)


def active(name: str) -> bool:
    """Whether the override ``name`` runs (True unless uninstalled or patches are off)."""
    return name not in _state.overrides_off


def _load(path: str) -> Any:
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _set(path: str, value: Any) -> None:
    module, _, attribute = path.partition(":")
    setattr(importlib.import_module(module), attribute, value)


def in_effect(name: str) -> bool:
    """Whether the patch ``name`` is in effect: every replaced attribute holds its
    replacement, or the override is active. Extensions always are."""
    patch = BY_NAME[name]
    if patch.kind == OVERRIDE:
        return active(name)
    if patch.kind == EXTENSION:
        return True
    try:
        return all(getattr(target.owner(), target.attribute, _MISSING) is _load(replacement)
                   for target, replacement in patch.replaces)
    except (ImportError, AttributeError):
        return False


def _original(patch: Patch, target: Target) -> Any:
    """The Rasa member a replacement took the place of (``_MISSING``: unknown)."""
    original = _state.originals.get(patch.name, {}).get(target, _MISSING)
    if original is _MISSING:  # installed by the module itself: it kept the original
        index = [t for t, _ in patch.replaces].index(target)
        if index < len(patch.keep_original):
            original = _load(patch.keep_original[index])
    return _MISSING if original is None else original


def _rasa_value(patch: Patch, target: Target, replacement: str) -> Any:
    """Rasa's own member, also while the patch holds its place."""
    if patch.kind == REPLACE:
        current = getattr(target.owner(), target.attribute, _MISSING)
        if current is not _MISSING and current is _load(replacement):
            return _original(patch, target)
    return _MISSING


# -- checks ------------------------------------------------------------------------------

def version_problems(versions: Optional[Callable[[str], str]] = None) -> List[str]:
    """Installed distributions that are not the versions the patches were written for."""
    versions = versions or metadata.version
    problems = []
    for distribution, expected in VERSIONS.items():
        try:
            found = versions(distribution)
        except metadata.PackageNotFoundError:
            found = "not installed"
        if found != expected:
            problems.append(f"{distribution} is {found}, the patches were written for {expected}")
    return problems


def problems(patches: Iterable[Patch] = PATCHES, versions: Optional[Callable[[str], str]] = None,
             with_versions: bool = True) -> List[str]:
    """Every mismatch between the installed Rasa and the registry (empty: all fit)."""
    found = version_problems(versions) if with_versions else []
    for patch in patches:
        for target in patch.targets():
            replacement = dict(patch.replaces).get(target, "")
            value = _rasa_value(patch, target, replacement) if replacement else _MISSING
            if value is _MISSING and replacement and in_effect(patch.name):
                problem: Optional[str] = f"{target.path} was replaced without addons.compat: Rasa's own is unknown"
            else:
                problem = target.problem(value)
            if problem:
                found.append(f"{patch.kind} '{patch.name}' ({patch.module}): {problem}")
    return found


def refusal(found: List[str]) -> str:
    """The message a process refusing to start prints."""
    lines = "\n".join(f"  - {problem}" for problem in found)
    return (
        "The clinic's changes to Rasa's internals (addons/compat.py) do not fit the installed "
        f"Rasa:\n{lines}\n"
        f"They were written for {', '.join(f'{d} {v}' for d, v in VERSIONS.items())}. Install "
        "those (requirements.txt), or update each patch named above and its expected "
        f"signature in addons/compat.py, or start with {SETTING}=off to run Rasa's own code "
        "without the patches (slower, same answers)."
    )


def check(versions: Optional[Callable[[str], str]] = None) -> None:
    """Raise :class:`RasaIncompatible` (with :func:`refusal`) on any mismatch."""
    found = problems(versions=versions)
    if found:
        raise RasaIncompatible(refusal(found))


def check_versions(versions: Optional[Callable[[str], str]] = None) -> None:
    """Only the versions (cheap: imports nothing), for a launcher before it starts Rasa."""
    found = version_problems(versions)
    if found:
        raise RasaIncompatible(refusal(found))


# -- install and uninstall ----------------------------------------------------------------

def _names(names: Iterable[str]) -> List[str]:
    chosen = list(names) or [p.name for p in PATCHES if p.kind in (REPLACE, OVERRIDE)]
    unknown = [n for n in chosen if n not in BY_NAME]
    if unknown:
        raise KeyError(f"no such patch: {', '.join(unknown)}")
    return chosen


def install(*names: str) -> None:
    """Install the named patches (all of them without names); each once.

    Checks nothing: :func:`startup` checks first. Installing a replacement remembers the
    attribute it replaces (and hands it to the replacement, ``keep_original``).
    """
    for name in _names(names):
        patch = BY_NAME[name]
        if patch.kind == OVERRIDE:
            _state.overrides_off.discard(name)
            continue
        if patch.kind != REPLACE or in_effect(name):
            continue
        originals = _state.originals.setdefault(name, {})
        for index, (target, replacement) in enumerate(patch.replaces):
            owner, new = target.owner(), _load(replacement)
            current = getattr(owner, target.attribute)
            if current is not new:
                originals[target] = current
                if index < len(patch.keep_original):
                    _set(patch.keep_original[index], current)
                setattr(owner, target.attribute, new)


def uninstall(*names: str) -> None:
    """Rasa's own code again for the named patches (all of them without names)."""
    for name in _names(names):
        patch = BY_NAME[name]
        if patch.kind == OVERRIDE:
            _state.overrides_off.add(name)
            continue
        for target, replacement in patch.replaces:
            owner = target.owner()
            if getattr(owner, target.attribute, _MISSING) is _load(replacement):
                original = _original(patch, target)
                if original is not _MISSING:
                    setattr(owner, target.attribute, original)
            _state.originals.get(name, {}).pop(target, None)
        for path in patch.keep_original:  # as before any install (a module's own install works again)
            _set(path, None)


def startup(*names: str, env: Optional[Mapping[str, str]] = None) -> bool:
    """Check the installed Rasa, then install the named patches (all without names).

    Raises :class:`RasaIncompatible` on a mismatch. With ``CLINIC_RASA_PATCHES=off``
    only the required patches are checked (a mismatch there still refuses) and
    installed; every other patch is left out or uninstalled, every override runs Rasa's
    code, other mismatches are only logged, and False is returned.
    """
    chosen = _names(names)
    if enabled(env):
        check()
        install(*chosen)
        return True
    required = [p for p in PATCHES if p.required]
    found = problems([p for p in PATCHES if not p.required])
    logger.warning("%s=off: Rasa runs without the clinic's patches%s", SETTING,
                   (" (mismatches: " + "; ".join(found) + ")") if found else "")
    uninstall(*(p.name for p in PATCHES if p.kind in (REPLACE, OVERRIDE) and not p.required))
    must = problems(required, with_versions=False)
    if must:
        raise RasaIncompatible(refusal(must))
    keep = [n for n in chosen if BY_NAME[n].required]
    if keep:  # (no names would mean all of them)
        install(*keep)
    return False
