"""The scoped-access check: views and API modules must not reach person-level models directly.

Person-level models are the subclasses of ScopedModel and ScopedChildModel. In any `views.py`,
`api.py` (or `views/`, `api/` package) this flags:
- `Model.objects...` unless the next call is `visible_to(...)` or `editable_by(...)`;
- `Model._default_manager` / `Model._base_manager`;
- `get_object_or_404(...)` and `get_list_or_404(...)`.
Run by the test suite (CI) and by `safehub lint_access`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps

SCOPED_CALLS = {"visible_to", "editable_by"}
FORBIDDEN_FUNCTIONS = {"get_object_or_404", "get_list_or_404"}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def person_level_model_names() -> set[str]:
    from safehub.core.models.base import ScopedChildModel, ScopedModel

    return {m.__name__ for m in apps.get_models() if issubclass(m, ScopedModel | ScopedChildModel)}


def check_source(source: str, path: str, model_names: set[str]) -> list[Violation]:
    tree = ast.parse(source, filename=path)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in model_names
        ):
            if node.attr in ("_default_manager", "_base_manager"):
                found.append(
                    Violation(path, node.lineno, f"{node.value.id}.{node.attr} bypasses scoped access")
                )
            elif node.attr == "objects":
                parent = parents.get(node)
                if not (isinstance(parent, ast.Attribute) and parent.attr in SCOPED_CALLS):
                    found.append(
                        Violation(
                            path,
                            node.lineno,
                            f"{node.value.id}.objects used without visible_to/"
                            "editable_by: load through safehub.core.access",
                        )
                    )
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in FORBIDDEN_FUNCTIONS:
                found.append(Violation(path, node.lineno, f"{name}() bypasses scoped access: use load_for"))
    return found


def view_and_api_modules(root: Path) -> list[Path]:
    paths = []
    for pattern in ("**/views.py", "**/api.py", "**/views/*.py", "**/api/*.py"):
        paths.extend(p for p in root.glob(pattern) if "tests" not in p.parts and "migrations" not in p.parts)
    return sorted(set(paths))


def check_tree(root: Path) -> list[Violation]:
    names = person_level_model_names()
    violations = []
    for path in view_and_api_modules(root):
        violations.extend(
            check_source(path.read_text(encoding="utf-8"), str(path.relative_to(root.parent)), names)
        )
    return violations
