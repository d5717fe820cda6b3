"""Answers that use an answer: a student's cell that reaches a function which computes what the task asks for.

Each marking module (``course_lib.marking.<name>``, found from the ``marks=`` of the assignment's checks) lists
in ``ANSWERS`` the library functions that compute an answer of its assignment (``course_lib``'s own backward
passes, its numerical gradient where the task is to write one). A student's code cell that refers to one of
them, to anything in ``course_lib.marking`` or ``course_lib.checks`` but ``check``, or that looks names up in
ways this reading cannot follow (``getattr``, ``importlib``, ``exec``…), is reported to the instructor. The
score does not change: the note asks a person to look.

The reading is static (the cells' syntax, never run here): it follows imports, ``as`` aliases and attribute
chains, in the student's cells and in the instructor's setup cells, and compares the objects they reach, so a
function re-exported under another module's name is recognised too.
"""

from __future__ import annotations

import ast
import functools
import importlib
from collections.abc import Iterable
from types import ModuleType

from .plan import Plan, nbgrader_meta, parse, source_of

ALWAYS = ("course_lib.marking", "course_lib.checks")
ALLOWED = frozenset({"course_lib.checks.check"})
DYNAMIC = frozenset({"getattr", "__import__", "eval", "exec", "compile", "importlib", "globals", "vars"})


def _import(path: str):
    """The object a dotted path names (``course_lib.numerical_gradient``), or None."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except (ImportError, ValueError, TypeError):
            continue
        try:
            for name in parts[cut:]:
                target = getattr(target, name)
        except AttributeError:
            return None
        return target
    return None


@functools.lru_cache(maxsize=32)
def _answers(modules: tuple[str, ...]) -> frozenset[int]:
    """The ids of the objects that the marking modules list in ``ANSWERS``."""
    paths = [path for module in modules for path in getattr(_import(f"course_lib.marking.{module}"), "ANSWERS", ())]
    return frozenset(id(obj) for path in paths if (obj := _import(path)) is not None)


def marking_modules(plan: Plan) -> tuple[str, ...]:
    """The names of the marking modules the plan's checks use (``a1``, …)."""
    return tuple(sorted({check.marks.rpartition(".")[0] for test in plan.tests.values() for check in test.checks
                         if getattr(check, "marks", None)}))


def _aliases(trees: Iterable[ast.AST]) -> dict[str, str]:
    """Local name → dotted path, from every import in ``trees``."""
    found: dict[str, str] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        found[alias.asname] = alias.name
                    else:
                        root = alias.name.split(".")[0]
                        found[root] = root
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """``cl.gradcheck.numerical_gradient`` → ``course_lib.gradcheck.numerical_gradient``; None if not an import."""
    attrs = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    return ".".join([aliases[node.id], *reversed(attrs)])


def _reaches(path: str, answer_ids: frozenset[int]) -> bool:
    if path in ALLOWED:
        return False
    if path.startswith(tuple(prefix + "." for prefix in ALWAYS)) or path in ALWAYS:
        return True
    target = _import(path) if path.startswith("course_lib") else None
    if target is None:
        return False
    module = target.__name__ if isinstance(target, ModuleType) else ""
    return id(target) in answer_ids or module.startswith(ALWAYS)


def _uses(tree: ast.AST, aliases: dict[str, str], answer_ids: frozenset[int]) -> list[str]:
    """What one student cell uses that it should not, in the order it appears."""
    used: list[str] = []
    for node in ast.walk(tree):
        paths: list[str] = []
        if isinstance(node, ast.Import):
            paths = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            paths = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, (ast.Attribute, ast.Name)):
            path = _dotted(node, aliases)
            paths = [path] if path else []
            if isinstance(node, ast.Name) and node.id in DYNAMIC:
                paths.append(node.id)
        for path in paths:
            if (path in DYNAMIC or _reaches(path, answer_ids)) and path not in used:
                used.append(path)
    return used


def notes(cells: list[dict], plan: Plan) -> list[str]:
    """One note per student cell that uses a function computing an answer (or a lookup the reading cannot follow)."""
    answer_ids = _answers(marking_modules(plan))
    code = [(cell, parse(source_of(cell))) for cell in cells if cell.get("cell_type") == "code"]
    students = [(cell, tree) for cell, tree in code if tree is not None and not nbgrader_meta(cell).get("locked")]
    setup = _aliases(tree for cell, tree in code if tree is not None and nbgrader_meta(cell).get("locked"))
    own = _aliases(tree for _, tree in students)
    defined = {node.id for _, tree in students for node in ast.walk(tree)
               if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    defined |= {node.name for _, tree in students for node in ast.walk(tree)
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    aliases = {**{name: path for name, path in setup.items() if name not in defined}, **own}
    found = []
    for cell, tree in students:
        used = _uses(tree, aliases, answer_ids)
        if used:
            where = nbgrader_meta(cell).get("grade_id") or "a cell of the student's own"
            found.append(f"{where} uses {', '.join(used)}: it may call a function that computes the answer "
                         "(score unchanged; look at it)")
    return found
