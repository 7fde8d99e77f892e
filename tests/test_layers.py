"""The package reads as the flow, one way: knowledge → reading → dialogue → answers → engine →
frontends. A module imports only from its own layer or those before it, and frontends only the
public `careerbot` package (and each other), so that a lower layer importing a higher one fails
here rather than in a review."""

from __future__ import annotations

import ast
from pathlib import Path

import careerbot

PACKAGE = Path(careerbot.__file__).parent
LAYERS = ["base", "knowledge", "reading", "dialogue", "answers", "engine", "frontends"]
BASE = {"careerbot._errors", "careerbot._record", "careerbot._text"}
"""What every layer may use: the errors, the record type, and text normalisation (pure functions on
strings that validation and reading share)."""


def layer_of(module: str) -> str:
    if module in BASE:
        return "base"
    if module == "careerbot.__main__":         # `python -m careerbot` is the command line
        return "frontends"
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    return "engine"            # careerbot itself, _engine, _cache, _catalogue, _evaluate, _validate


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, int]]:
    """Every careerbot module `path` imports (at the top or inside a function), with its line."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names if alias.name.split(".")[0] == "careerbot"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "careerbot":
                continue
            found.append((target, node.lineno))
            for alias in node.names:         # `from . import _cache` imports a module
                candidate = f"{target}.{alias.name}"
                if (PACKAGE.parent / Path(*candidate.split("."))).with_suffix(".py").exists():
                    found.append((candidate, node.lineno))
    return found


def test_every_layer_imports_only_itself_and_the_layers_before_it():
    """No module imports a later layer; frontends import only `careerbot` and each other."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        layer = layer_of(module)
        for target, line in imports(path):
            if layer == "frontends":
                allowed = target == "careerbot" or layer_of(target) == "frontends"
            else:
                allowed = LAYERS.index(layer_of(target)) <= LAYERS.index(layer)
            if not allowed:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {module} ({layer}) imports {target}")
    assert wrong == []


def test_the_layer_check_sees_a_wrong_import(tmp_path, monkeypatch):
    """Unit test of the check itself: a knowledge module importing the answers would be found."""
    fake = tmp_path / "careerbot"
    (fake / "knowledge").mkdir(parents=True)
    (fake / "knowledge" / "bad.py").write_text("from ..answers.render import Renderer\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    path = fake / "knowledge" / "bad.py"
    assert [(target, layer_of(target)) for target, _ in imports(path)] == [("careerbot.answers.render", "answers")]
