"""The Rasa-compatibility layer: every patch in effect after start-up, gone after
uninstalling, and an installed Rasa that does not fit refused with the patch's name."""
from __future__ import annotations

import asyncio
import gc
import threading

import jsonschema
import pytest
import rasa.core.processor
import rasa.core.run
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import SQLTrackerStore
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.training import graph_trainer
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons import compat

REPLACEMENTS = [p.name for p in compat.PATCHES if p.kind == compat.REPLACE]
OVERRIDES = [p.name for p in compat.PATCHES if p.kind == compat.OVERRIDE]


@pytest.fixture
def restore():
    """Put every patch back as it was before the test."""
    before = {p.name: compat.in_effect(p.name) for p in compat.PATCHES if p.kind != compat.EXTENSION}
    yield
    for name, was in before.items():
        (compat.install if was else compat.uninstall)(name)


# -- the registry fits the installed Rasa -------------------------------------------------

def test_every_registered_member_fits_the_installed_rasa():
    assert compat.problems() == []


def test_the_registry_names_every_patch_and_every_replacement_exists():
    assert set(REPLACEMENTS) == {"action_response", "gc_freeze", "graph_runner", "training_cache",
                                 "bounded_parse", "cli_auth_token"}
    assert set(OVERRIDES) == {"rule_policy_states", "tracker_store_io"}
    for patch in compat.PATCHES:
        assert patch.targets(), patch.name
        for _, replacement in patch.replaces:
            if replacement:
                assert callable(compat._load(replacement)), replacement


# -- a Rasa that does not fit is refused ---------------------------------------------------

def test_another_rasa_version_is_refused(monkeypatch):
    monkeypatch.setitem(compat.VERSIONS, "rasa", "3.6.99")
    with pytest.raises(compat.RasaIncompatible) as refused:
        compat.check()
    message = str(refused.value)
    assert "rasa is 3.6.21, the patches were written for 3.6.99" in message
    assert "CLINIC_RASA_PATCHES=off" in message


def test_a_renamed_attribute_is_refused_naming_the_patch(monkeypatch, restore):
    monkeypatch.delenv(compat.SETTING, raising=False)
    compat.uninstall("action_response")
    monkeypatch.delattr(RemoteAction, "_validate_action_result")
    with pytest.raises(compat.RasaIncompatible) as refused:
        compat.startup()
    message = str(refused.value)
    assert "replace 'action_response' (addons/speedups/action_response.py)" in message
    assert "RemoteAction._validate_action_result is gone" in message
    assert not compat.in_effect("action_response")


def test_a_changed_signature_is_refused_naming_the_patch(monkeypatch):
    monkeypatch.setattr(DaskGraphRunner, "run", lambda self, inputs=None: {})
    found = compat.problems()
    assert found == ["replace 'graph_runner' (addons/speedups/graph_runner.py): "
                     "rasa.engine.runner.dask:DaskGraphRunner.run has the signature (self, inputs=None), "
                     "expected (self, inputs=None, targets=None)"]


def test_an_override_of_a_changed_method_is_refused(monkeypatch):
    async def _retrieve(self, sender_id, fetch_events_from_all_sessions, extra):
        return None

    monkeypatch.setattr(SQLTrackerStore, "_retrieve", _retrieve)
    assert any(p.startswith("override 'tracker_store_io'") and "_retrieve" in p for p in compat.problems())


def test_an_extension_whose_rasa_code_changed_is_refused(monkeypatch):
    import rasa.core.tracker_store

    monkeypatch.setattr(rasa.core.tracker_store.SQLTrackerStore, "__init__", lambda self, domain=None: None)
    found = compat.problems()
    assert any(p.startswith("extension 'tracker_store_engine'") and "'self.engine ='" in p for p in found)


def test_the_rasa_command_refuses_to_start_and_says_why(monkeypatch, capsys, restore):
    import rasa.__main__

    from addons import rasa_cli

    monkeypatch.delenv(compat.SETTING, raising=False)
    monkeypatch.setitem(compat.VERSIONS, "tensorflow", "2.99.0")
    monkeypatch.setattr(rasa.__main__, "main", lambda: pytest.fail("Rasa started"))
    monkeypatch.setattr(rasa_cli.sys, "argv", ["addons/rasa_cli.py", "run"])
    with pytest.raises(SystemExit) as exited:
        rasa_cli.main()
    assert exited.value.code == rasa_cli.EXIT_INCOMPATIBLE
    assert "tensorflow is 2.12.0, the patches were written for 2.99.0" in capsys.readouterr().err


def test_the_server_launcher_refuses_another_version_before_starting(monkeypatch, capsys, tmp_path):
    from addons import rasa_server
    from clinic import settings as settings_module

    monkeypatch.delenv(compat.SETTING, raising=False)
    monkeypatch.setitem(compat.VERSIONS, "rasa", "4.0.0")
    monkeypatch.setattr(rasa_server, "get_settings", lambda: settings_module.settings_from_env(
        {"CLINIC_VAR_DIR": str(tmp_path), "RASA_AUTH_TOKEN": "t" * 40}))
    monkeypatch.setattr(rasa_server.os, "execve", lambda *a: pytest.fail("started"))
    assert rasa_server.main([]) == 3
    assert "rasa is 3.6.21" in capsys.readouterr().err


def test_switched_off_rasa_starts_stock_even_on_a_mismatch(monkeypatch, restore):
    import rasa.__main__

    from addons import rasa_cli

    compat.install()
    monkeypatch.setenv(compat.SETTING, "off")
    monkeypatch.setitem(compat.VERSIONS, "rasa", "3.6.99")
    started = []
    monkeypatch.setattr(rasa.__main__, "main", lambda: started.append(True))
    monkeypatch.setattr(rasa_cli.sys, "argv", ["addons/rasa_cli.py", "train"])
    rasa_cli.main()
    assert started == [True]
    for name in REPLACEMENTS + OVERRIDES:
        if not compat.BY_NAME[name].required:
            assert not compat.in_effect(name), name
    assert rasa.core.processor.DaskGraphRunner is DaskGraphRunner


def test_switched_off_still_refuses_when_the_token_patch_cannot_work(monkeypatch, restore):
    import rasa.cli.run

    monkeypatch.setattr(rasa.cli.run, "run", lambda args, extra: None)
    with pytest.raises(compat.RasaIncompatible) as refused:
        compat.startup(env={compat.SETTING: "off"})
    assert "cli_auth_token" in str(refused.value)


def test_the_setting():
    assert compat.enabled({})
    assert compat.enabled({compat.SETTING: "on"})
    for off in ("off", "OFF", "0", "false", "no"):
        assert not compat.enabled({compat.SETTING: off})


# -- each patch, in effect and uninstalled -------------------------------------------------

@pytest.mark.parametrize("name", REPLACEMENTS + OVERRIDES)
def test_every_patch_installs_and_uninstalls(name, restore):
    compat.install(name)
    assert compat.in_effect(name)
    compat.install(name)  # once only
    assert compat.in_effect(name)
    patch = compat.BY_NAME[name]
    compat.uninstall(name)
    assert not compat.in_effect(name)
    for target, replacement in patch.replaces:
        if replacement:  # Rasa's own member is back
            assert getattr(target.owner(), target.attribute) is not compat._load(replacement)
            assert target.problem() is None
    compat.install(name)
    assert compat.in_effect(name)


def test_startup_installs_every_patch(restore):
    compat.uninstall()
    assert compat.startup(env={})
    for name in REPLACEMENTS + OVERRIDES:
        assert compat.in_effect(name), name


def test_action_response_validator_is_built_once(monkeypatch, restore):
    from addons.speedups import action_response

    checked = []
    validator_class = jsonschema.validators.validator_for(RemoteAction.action_response_format_spec())
    original = validator_class.check_schema
    monkeypatch.setattr(validator_class, "check_schema", classmethod(
        lambda cls, schema, *a, **k: checked.append(1) or original.__func__(cls, schema, *a, **k)))
    action_response.response_validator()  # built (the schema checked) at most once
    action = RemoteAction("action_x", None)
    compat.install("action_response")
    checked.clear()
    for _ in range(3):
        assert action._validate_action_result({"events": [], "responses": []}) is True
    assert checked == []
    compat.uninstall("action_response")
    assert action._validate_action_result({"events": [], "responses": []}) is True
    assert checked  # Rasa's own validate() checks the schema on every call


def test_gc_freeze_freezes_after_rasa_loads_the_agent(monkeypatch, restore):
    from addons.speedups import gc_freeze

    async def loaded(*args, **kwargs):
        return "agent"

    monkeypatch.setattr(gc_freeze, "_original_load_agent_on_start", loaded)
    compat.install("gc_freeze")
    try:
        gc.unfreeze()
        assert asyncio.run(rasa.core.run.load_agent_on_start("m", None, None, None, None)) == "agent"
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_graph_runner_is_the_one_rasa_loads_models_with(monkeypatch, tmp_path, restore):
    from addons.speedups.graph_runner import SequentialGraphRunner

    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    used = []

    def load_predict_graph_runner(directory, path, storage, runner_class):
        used.append(runner_class)
        return object(), object()

    monkeypatch.setattr(rasa.core.processor.loader, "load_predict_graph_runner", load_predict_graph_runner)
    compat.install("graph_runner")
    MessageProcessor._load_model(str(model))
    compat.uninstall("graph_runner")
    MessageProcessor._load_model(str(model))
    assert used == [SequentialGraphRunner, DaskGraphRunner]


def test_training_cache_trains_everything_and_keeps_nothing(monkeypatch, restore):
    from addons.speedups import training_cache

    compat.uninstall("training_cache")
    rasa_hook, rasa_train = graph_trainer.TrainingHook, graph_trainer.GraphTrainer.train
    compat.install("training_cache")  # Rasa's own remembered here, not in the module spied on
    seen = {}
    monkeypatch.setattr(training_cache, "_rasa_train", lambda self, *args, **kwargs: seen.update(kwargs))
    graph_trainer.GraphTrainer.train(object(), None, None, None)  # as rasa.model_training calls it
    assert seen["force_retraining"] is True
    hook = graph_trainer.TrainingHook(cache=None, model_storage=None, pruned_schema=None)
    assert hook.on_before_node("n", None, {}, {}) == {}  # Rasa's would fingerprint the inputs
    compat.uninstall("training_cache")
    assert graph_trainer.TrainingHook is rasa_hook
    assert graph_trainer.GraphTrainer.train is rasa_train


def test_bounded_parse_reads_the_bounded_text_off_the_event_loop(restore):
    class Processor:
        http_interpreter = None
        seen: list = []

        def _parse_message_with_graph(self, message, tracker, only_output_properties=True):
            self.seen.append((message.text, threading.current_thread().name))
            return {"text": message.text, "intent": {"name": "greet"}, "entities": []}

        def _update_full_retrieval_intent(self, parse_data):
            pass

        def _check_for_unseen_features(self, parse_data):
            pass

    long = "hi" + "!" * 5000
    compat.install("bounded_parse")
    asyncio.run(MessageProcessor.parse_message(Processor(), UserMessage(long, sender_id="s")))
    compat.uninstall("bounded_parse")
    asyncio.run(MessageProcessor.parse_message(Processor(), UserMessage(long, sender_id="s")))
    (ours, our_thread), (rasas, rasa_thread) = Processor.seen
    assert len(ours) < 100 and our_thread.startswith("nlu")
    assert rasas == long and rasa_thread == threading.current_thread().name


def test_the_api_token_reaches_rasa_run_through_its_parser(monkeypatch, restore):
    from rasa.__main__ import create_argument_parser

    from addons import rasa_cli

    rasa_cli.pass_token_in_process("from-env")
    seen = {}
    monkeypatch.setattr(rasa_cli, "_rasa_run", lambda args: seen.update(token=args.auth_token))
    args = create_argument_parser().parse_args(["run", "--enable-api"])
    args.func(args)
    assert seen == {"token": "from-env"}
    compat.uninstall("cli_auth_token")
    assert create_argument_parser().parse_args(["run"]).func is not rasa_cli.run_with_token


def _rule_policy(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from addons.policies.rule_policy import BoundedRulePolicy

    return BoundedRulePolicy.create(BoundedRulePolicy.get_default_config(), LocalModelStorage(tmp_path),
                                    Resource("rules"), ExecutionContext(GraphSchema({}), "test"))


def test_rule_policy_builds_only_the_last_states_while_in_effect(monkeypatch, tmp_path, restore):
    from addons.policies import rule_policy

    policy = _rule_policy(tmp_path)
    domain = Domain.from_dict({"intents": ["greet"], "responses": {"utter_hi": [{"text": "hi"}]}})
    tracker = DialogueStateTracker.from_events("s", [
        ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"}), ActionExecuted("utter_hi"),
        ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"})])
    monkeypatch.setattr(rule_policy.BoundedRulePolicy, "_longest_rule", lambda self: 2)
    built = []
    real = rule_policy.last_states
    monkeypatch.setattr(rule_policy, "last_states", lambda *a: built.append(a[2]) or real(*a))
    compat.install("rule_policy_states")
    ours = policy._prediction_states(tracker, domain)
    compat.uninstall("rule_policy_states")
    rasas = policy._prediction_states(tracker, domain)
    assert built == [2]
    assert len(ours) == 2 and len(rasas) > 2 and rasas[-2:] == ours


def test_tracker_store_reads_and_writes_its_own_way_while_in_effect(monkeypatch, tmp_path, restore):
    from addons.tracker_store import ClinicSQLTrackerStore

    domain = Domain.from_dict({"intents": ["greet"]})
    store = ClinicSQLTrackerStore(domain=domain, host=f"sqlite:///{tmp_path}/t.db")
    queries = []
    real = SQLTrackerStore._event_query
    monkeypatch.setattr(SQLTrackerStore, "_event_query", lambda *a, **k: queries.append(1) or real(*a, **k))
    tracker = DialogueStateTracker.from_events("s", [ActionExecuted("action_listen"),
                                                     UserUttered("hi", {"name": "greet"})])

    async def turn():
        await store.save(tracker)
        return await store.retrieve("s")

    compat.install("tracker_store_io")
    ours = asyncio.run(turn())
    assert queries == []  # neither Rasa's query nor its count
    compat.uninstall("tracker_store_io")
    tracker.update(ActionExecuted("utter_hi"))
    rasas = asyncio.run(turn())
    assert queries  # Rasa's own read and save
    assert [e.as_dict() for e in rasas.events][:len(ours.events)] == [e.as_dict() for e in ours.events]
    assert len(rasas.events) == len(ours.events) + 1


# -- the extensions are the classes the configuration names, overriding Rasa's members ----

EXTENSIONS = {
    # patch: (configuration file, class named there, the Rasa member it overrides or None)
    "tracker_store_engine": ("endpoints.yml", "addons.tracker_store.ClinicSQLTrackerStore", None),
    "tracker_store_io": ("endpoints.yml", "addons.tracker_store.ClinicSQLTrackerStore", "_retrieve"),
    "rule_policy_states": ("config.yml", "addons.policies.rule_policy.BoundedRulePolicy", "_prediction_states"),
    "lock_store": ("deploy/endpoints.prod.yml", "addons.lock_store.ClinicRedisLockStore", "issue_ticket"),
    "response_generator": ("endpoints.yml", "addons.nlg.ClinicResponseGenerator", "_random_response_for"),
    "socketio_output": ("credentials.yml", "addons.channels.socketio.ClinicSocketIOInput", None),
    "spacy_loader": ("config.yml", "addons.nlu.spacy_nlp.SpacyNLP", "load_model"),
}


@pytest.mark.parametrize("name", sorted(EXTENSIONS))
def test_each_subclass_is_configured_and_overrides_what_the_registry_checks(name, root):
    import importlib

    file, class_path, method = EXTENSIONS[name]
    assert class_path in (root / file).read_text(encoding="utf-8")
    module, _, class_name = class_path.rpartition(".")
    ours = getattr(importlib.import_module(module), class_name)
    patch = compat.BY_NAME[name]
    if method:
        rasa_member = next(t for t in patch.targets() if t.attribute == method)
        assert issubclass(ours, rasa_member.owner())
        assert ours.__dict__.get(method) is not None  # overridden here, not inherited
    assert patch.module.startswith("addons/") and (root / patch.module).exists()


def test_the_socketio_output_overrides_rasas_send():
    from rasa.core.channels.socketio import SocketIOOutput

    from addons.channels import socketio

    assert issubclass(socketio._CountingOutput, SocketIOOutput)
    assert "_send_message" in socketio._CountingOutput.__dict__


def test_the_api_token_reaches_rasa_run_when_the_cli_runs_as_main(monkeypatch, restore):
    """``python -m addons.rasa_cli`` runs the module as ``__main__``, a second copy beside the
    imported ``addons.rasa_cli`` whose ``run_with_token`` the patch installs: the token
    given to the ``__main__`` copy must reach it (else the API is served unauthenticated)."""
    import importlib.util

    from rasa.__main__ import create_argument_parser

    from addons import rasa_cli

    spec = importlib.util.spec_from_file_location("rasa_cli_as_main", rasa_cli.__file__)
    as_main = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(as_main)
    monkeypatch.setattr(rasa_cli, "_token", None)
    as_main.pass_token_in_process("from-main")
    seen = {}
    monkeypatch.setattr(rasa_cli, "_rasa_run", lambda args: seen.update(token=args.auth_token))
    args = create_argument_parser().parse_args(["run", "--enable-api"])
    args.func(args)
    assert seen == {"token": "from-main"}
    compat.uninstall("cli_auth_token")
