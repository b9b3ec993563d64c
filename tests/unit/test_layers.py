"""The layers of STYLE.md hold: the domain imports nothing but the standard library,
core imports no channel or web code, flows do no I/O of their own."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imports_of(package: str) -> list[tuple[str, str]]:
    """Lists (file, imported module) for every import in a package."""
    found: list[tuple[str, str]] = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(str(path.relative_to(ROOT)), alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.append((str(path.relative_to(ROOT)), node.module))
    return found


def top(module: str) -> str:
    return module.split(".")[0]


def test_the_domain_imports_only_the_standard_library_and_itself() -> None:
    bad = [(f, m) for f, m in imports_of("core/domain")
           if not m.startswith("core.domain") and top(m) not in sys.stdlib_module_names
           and m != "__future__"]
    assert bad == []


@pytest.mark.parametrize("outer", ["bot", "webhooks", "admin_cli"])
def test_core_never_imports_the_outer_layers(outer: str) -> None:
    assert [(f, m) for f, m in imports_of("core") if top(m) == outer] == []


def test_flows_import_no_infrastructure() -> None:
    infrastructure = {"sqlalchemy", "sqlmodel", "redis", "httpx", "telegram", "twilio",
                      "fastapi", "starlette", "uvicorn"}
    bad = [(f, m) for f, m in imports_of("bot/flows") if top(m) in infrastructure
           or m in ("core.uow", "core.db", "core.outbox", "core.inbox", "core.services")]
    assert bad == []


def test_webhooks_do_not_reach_into_flows_or_services() -> None:
    bad = [(f, m) for f, m in imports_of("webhooks")
           if m.startswith(("bot.flows", "bot.runner", "core.services"))]
    assert bad == []
