"""Words are chosen in the language of the request that shows them: no module evaluates
gettext at import time (a constant built with `gettext as _` is frozen in whatever language
the process imported it under). Module-level messages use gettext_lazy.

Read from the source with ast, like tests/test_floors.py."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def _eager_names(tree: ast.Module) -> set[str]:
    """Local names bound to a non-lazy gettext function by `from … import … as …`."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            names |= {alias.asname or alias.name for alias in node.names if alias.name in EAGER}
    return names


def _import_time_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    eager = _eager_names(tree)
    found = []

    def visit(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            call = isinstance(child, ast.Call) and isinstance(child.func, ast.Name)
            if call and not in_function and child.func.id in eager:
                found.append(f"{path.relative_to(ROOT)}:{child.lineno}")
            visit(child, inside)

    visit(tree, False)
    return found


def test_no_module_translates_a_message_at_import_time():
    modules = [
        path
        for folder in ("shop", "traceability", "worker")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
    ]
    assert [hit for path in modules for hit in _import_time_calls(path)] == []


def test_the_check_sees_a_constant_built_with_eager_gettext(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "from django.utils.translation import gettext as _\nMESSAGE = _('Hello')\n"
        "def f():\n    return _('Fine here')\n"
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert _import_time_calls(module) == ["m.py:2"]
    finally:
        ROOT = saved
