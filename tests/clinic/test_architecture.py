"""The core's shape: ``clinic/`` imports no framework and has no import circles, and no
module of ours imports another module's private (``_``) names.

The actions, channels and the staff console call ``clinic``; never the other way round.
Module-level imports between ``clinic`` modules must form no cycle (imports inside
functions are deliberate late bindings and are not counted for cycles, but they may
still not reach Rasa or the layers above the core)."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

from tests.conftest import ROOT

CORE = ROOT / "clinic"
FORBIDDEN = ("rasa", "rasa_sdk", "actions", "addons", "console", "tensorflow", "sanic")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(path: Path) -> Iterator[Tuple[str, bool]]:
    """(imported module, at module level?) for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            submodules = [n for n in names if is_module(n)]  # "from clinic.triage import arabic"
            yield from ((n, id(node) in top) for n in submodules)
            if len(submodules) < len(names):
                yield node.module, id(node) in top


def core_graph() -> Dict[str, Set[str]]:
    modules = {module_name(p): p for p in CORE.rglob("*.py")}
    graph: Dict[str, Set[str]] = {}
    for name, path in modules.items():
        # a module's own parent packages are initialised before it, never a circle
        ancestors = {name.rsplit(".", i)[0] for i in range(1, name.count(".") + 1)}
        graph[name] = {target for target, top_level in imports(path) if top_level and target in modules
                       and target != name and target not in ancestors}
    return graph


def find_cycle(graph: Dict[str, Set[str]]) -> List[str]:
    state: Dict[str, int] = {}
    stack: List[str] = []

    def visit(node: str) -> List[str]:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if not state.get(target):
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if not state.get(node):
            found = visit(node)
            if found:
                return found
    return []


def test_the_core_imports_no_framework_and_no_layer_above_it():
    offending = sorted(
        f"{module_name(path)} imports {target}"
        for path in CORE.rglob("*.py")
        for target, _ in imports(path)
        if target.split(".")[0] in FORBIDDEN
    )
    assert offending == []


def test_the_core_has_no_import_circles():
    assert find_cycle(core_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


OUR_PACKAGES = ("clinic", "actions", "addons", "console", "ops")


def private_imports(path: Path) -> Iterator[str]:
    """``module._name`` for each private name ``path`` imports from another of our modules."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] in OUR_PACKAGES:
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield f"{node.module}.{alias.name}"


def test_no_module_imports_another_modules_private_names():
    offending = sorted(
        f"{module_name(path)} imports {name}"
        for package in OUR_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        for name in private_imports(path)
    )
    assert offending == []


def test_the_private_import_finder_finds_one(tmp_path):
    path = tmp_path / "x.py"
    path.write_text("from clinic.facts import WEEKDAYS, _parse\nfrom os import _exit\nfrom . import _y\n")
    assert list(private_imports(path)) == ["clinic.facts._parse"]
