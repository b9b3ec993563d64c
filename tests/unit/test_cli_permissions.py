"""The permission matrix of the terminal: every `comdev` command that reads or changes the
community's data names the animator it acts as (`--as`, or COMDEV_AS), and is refused (exit
3) to a person who is not staff, to an unknown identity, and (exit 2) when nobody is named.
Walks the whole command tree, so a command added later without the check fails here.

The commands that take no `--as` are the operator's (who runs the server and grants the
roles) and the public reference lists; they are named below with why."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import Engine
from typer.testing import CliRunner

from admin_cli.main import app
from core import services
from core.uow import UnitOfWork

#: Commands without --as, and why.
OPERATOR = {
    "db upgrade": "the operator migrates the schema",
    "seed": "the operator seeds ANIMATORS and the official territories",
    "serve": "runs the server", "worker": "runs the worker",
    "chat": "a console chat as any identity: the operator's test tool",
    "telegram set-webhook": "the operator connects the bot",
    "animators add": "the operator grants roles", "animators remove": "the operator",
    "animators list": "the operator",
    "skills search": "the public skills taxonomy", "skills list": "the public taxonomy",
    "territories load": "the official list of communes", "territories search": "public",
    "invite": "communes' staff and representatives invite their diaspora (as in the chat)",
    "invite stats": "counts of invitation links, no person in them",
}
NOBODY, STRANGER, UNKNOWN = "", "telegram:424242", "telegram:999999"


def commands(group: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every runnable command of the tree, named as typed ("projects approve"). Typer
    carries its own click, so groups and types are told by what they have."""
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}".strip()
        if hasattr(command, "commands"):
            if command.invoke_without_command:  # `comdev invite --commune ...` itself
                yield path, command
            yield from commands(command, path)
        else:
            yield path, command


TREE = dict(commands(typer.main.get_command(app)))


def arguments(command: Any, tmp_path: Path) -> list[str]:
    """Plausible values for the command's required parameters, --as aside."""
    found: list[str] = []
    for param in command.params:
        if not param.required or param.name == "as_":
            continue
        value = _value(param, tmp_path)
        if param.param_type_name == "option":
            found += [param.opts[0], value]
        else:
            found.append(value)
    return found


def _value(param: Any, tmp_path: Path) -> str:
    kind = param.type_descriptor.annotation
    if isinstance(kind, type) and issubclass(kind, Enum):
        return str(next(iter(kind)).value)
    if kind in (int, float):
        return "1"
    if kind is Path:
        path = tmp_path / "rows.csv"
        path.write_text("commune,title,theme\n", encoding="utf-8")
        return str(path)
    return "x"


@pytest.fixture
def comdev(sqlite_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.delenv("COMDEV_AS", raising=False)
    with UnitOfWork(engine) as uow:
        stranger = services.register_contact(uow, STRANGER, "fr", datetime.now(UTC))
        stranger.roles = "representative,expert,supporter"
        uow.commit()
    return CliRunner()


def test_every_command_is_known_to_the_matrix() -> None:
    assert set(OPERATOR) <= set(TREE), set(OPERATOR) - set(TREE)
    guarded = [path for path, command in TREE.items() if path not in OPERATOR]
    assert len(guarded) >= 20, guarded  # projects, needs, tickets, imports, stats, export,
    # broadcasts
    for path in guarded:
        names = {opt for param in TREE[path].params for opt in getattr(param, "opts", [])}
        assert "--as" in names, f"comdev {path} has no --as"


@pytest.mark.parametrize("path", sorted(p for p in TREE if p not in OPERATOR))
def test_an_animator_command_is_refused_to_anyone_else(comdev: CliRunner, path: str,
                                                       tmp_path: Path) -> None:
    given = [*path.split(), *arguments(TREE[path], tmp_path)]
    for who, code in ((STRANGER, 3), (UNKNOWN, 3), (NOBODY, 2)):
        result = comdev.invoke(app, [*given, "--as", who] if who else given)
        assert result.exit_code == code, (path, who, result.output)
        assert "refused" in result.output or "--as" in result.output, result.output
