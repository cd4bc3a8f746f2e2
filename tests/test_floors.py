"""The floors of the house: a room imports only from rooms below it (docs/architecture.md).

Read from the source with ast, so an import hidden inside a function counts too.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Doors may import any room; every other module under shop/ is storefront side.
DOORS = ("shop/views", "shop/workspace", "shop/admin", "shop/graphql", "shop/management")

# Lower rooms and what they must never import (prefix match on the module name).
FORBIDDEN = {
    "shop/inventory": ("shop.checkout", "shop.orders", "shop.fulfilment", "shop.payments"),
    "shop/checkout.py": ("shop.orders", "shop.fulfilment", "shop.payments"),
    "shop/orders.py": ("shop.fulfilment", "shop.payments"),
    "shop/fulfilment": ("shop.payments",),
}
# The event log and origins are records a lower room may write; recall internals are not.
RECALL_INTERNALS = ("traceability.recalls",)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _modules(prefix: str) -> list[Path]:
    target = ROOT / prefix
    if target.is_file():
        return [target]
    return sorted(p for p in target.rglob("*.py") if "migrations" not in p.parts)


def _storefront_modules() -> list[Path]:
    return [
        p
        for p in _modules("shop")
        if not str(p.relative_to(ROOT)).startswith(DOORS) and "migrations" not in p.parts
    ]


def test_no_storefront_module_imports_recall_internals():
    offenders = {
        str(p.relative_to(ROOT)): sorted(
            name for name in _imports(p) if name.startswith(RECALL_INTERNALS)
        )
        for p in _storefront_modules()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_a_room_never_imports_a_room_above_it(room):
    offenders = {
        str(p.relative_to(ROOT)): sorted(
            name for name in _imports(p) if name.startswith(FORBIDDEN[room])
        )
        for p in _modules(room)
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from traceability.recalls import recall_batch\n")
    assert "traceability.recalls" in _imports(module)
