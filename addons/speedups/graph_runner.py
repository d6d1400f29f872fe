"""Run Rasa's model graph without dask: the same nodes, in dependency order, planned once.

For every message Rasa runs its graph (NLU, then once per predicted action the policies)
through ``DaskGraphRunner``: each run it recomputes the sub-graph needed for the targets
(recursively, without memoising), formats a debug line holding the whole graph schema
(even with debug logging off), builds a dask task graph and hands it to dask's
synchronous scheduler. That bookkeeping cost about 6 % of a turn. ``SequentialGraphRunner``
computes the plan once per set of targets and calls the same graph nodes with the same
inputs in dependency order, which is all the synchronous scheduler does.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

logger = logging.getLogger(__name__)

Plan = List[Tuple[Text, List[Text]]]


class SequentialGraphRunner(DaskGraphRunner):
    """``DaskGraphRunner`` with the same results, minus dask and the per-run planning."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: Dict[Tuple[Text, ...], Plan] = {}

    def plan(self, targets: List[Text]) -> Plan:
        """The nodes ``targets`` need, each after the nodes it needs, with its inputs."""
        key = tuple(targets)
        if key not in self._plans:
            schema = self._graph_schema.minimal_graph_schema(list(targets))
            ordered: List[Text] = []
            visiting: set = set()

            def visit(name: Text) -> None:
                if name in ordered or name not in schema.nodes:
                    return
                if name in visiting:
                    raise GraphRunError(f"The graph has a cycle through '{name}'.")
                visiting.add(name)
                for needed in schema.nodes[name].needs.values():
                    visit(needed)
                visiting.discard(name)
                ordered.append(name)

            for target in targets:
                visit(target)
            self._plans[key] = [(name, list(schema.nodes[name].needs.values())) for name in ordered]
        return self._plans[key]

    def run(
        self,
        inputs: Optional[Dict[Text, Any]] = None,
        targets: Optional[List[Text]] = None,
    ) -> Dict[Text, Any]:
        run_targets = targets if targets else self._graph_schema.target_names
        plan = self.plan(run_targets)
        results: Dict[Text, Any] = {}
        for input_name, input_value in (inputs or {}).items():
            if isinstance(input_value, str) and any(input_value == name for name, _ in plan):
                raise GraphRunError(
                    f"Input value '{input_value}' clashes with a node name. Make sure "
                    f"that none of the input names passed to the `run` method are the "
                    f"same as node names in the graph schema."
                )
            results[input_name] = (input_name, input_value)
        try:
            for name, needs in plan:
                # like dask, a key that nothing provides is passed as the key itself
                results[name] = self._instantiated_nodes[name](*(results.get(n, n) for n in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(results[target] for target in run_targets)


def install() -> None:
    """Make ``MessageProcessor`` load models with :class:`SequentialGraphRunner`
    (``rasa.core.processor.DaskGraphRunner``, registered in :mod:`addons.compat`)."""
    from addons import compat

    compat.install("graph_runner")


def uninstall() -> None:
    from addons import compat

    compat.uninstall("graph_runner")
