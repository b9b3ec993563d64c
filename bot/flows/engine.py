"""The flow engine: named states, one `ask` and one `handle` per state, global words."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.i18n import Translator
from bot.messages import Choice, Inbound, Reply
from core.commands import Command
from core.domain.people import PersonSnapshot


@dataclass
class Context:
    """What a step knows: the person, their scratch data, the time; and their language."""

    person: PersonSnapshot
    identity: str
    now: datetime
    data: dict[str, Any] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)  # read-only answers from core
    state: str = ""  # the state the message arrived in ("" for none)

    @property
    def t(self) -> Translator:
        return Translator(self.person.language)

    @property
    def channel(self) -> str:
        return self.identity.partition(":")[0]

    def local(self, latin: str, arabic: str) -> str:
        """Picks a place's Arabic-script name for Arabic readers, when it has one."""
        return arabic if self.person.language == "ar" and arabic else latin

    def in_language(self, language: str) -> Context:
        """Returns the same context speaking another language."""
        return replace(self, person=replace(self.person, language=language))


class LazyFacts(Mapping[str, Any]):
    """Read-only answers from core, each asked for only when a step reads it."""

    def __init__(self, loaders: Mapping[str, Callable[[], Any]]) -> None:
        self._loaders = loaders
        self._values: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self._values:
            self._values[key] = self._loaders[key]()
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaders)

    def __len__(self) -> int:
        return len(self._loaders)


@dataclass
class Step:
    """What handling one message decided: where to go, what to say, what core must do."""

    next: str | None = None  # None: stay in the same state
    say: list[Reply] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    ask: bool = True  # render the (next or same) state's question after `say`
    hint: str | None = None  # when staying: why the answer was not understood

    @classmethod
    def stay(cls, hint: str) -> Step:
        """Re-asks the same question with a hint."""
        return cls(hint=hint)


Ask = Callable[[Context], Reply]
Handle = Callable[[Inbound, Context], Step]


@dataclass(frozen=True)
class State:
    name: str
    ask: Ask
    handle: Handle
    accepts_media: bool = False


STATES: dict[str, State] = {}


def state(name: str, ask: Ask, *, accepts_media: bool = False) -> Callable[[Handle], Handle]:
    """Registers `handle` as the step of state `name`, with `ask` as its question."""

    def register(handle: Handle) -> Handle:
        if name in STATES:
            raise ValueError(f"state {name} registered twice")
        STATES[name] = State(name, ask, handle, accepts_media)
        return handle

    return register


def render(name: str, ctx: Context) -> Reply:
    """Renders a state's question, scoped so that stale buttons are recognised."""
    reply = STATES[name].ask(ctx)
    hint = ctx.t.gettext("Reply with the number of your choice.") if reply.choices else None
    return replace(reply, scope=name, hint=reply.hint or hint)


def labels(ctx: Context, options: list[tuple[str, str]]) -> tuple[Choice, ...]:
    """Translates (key, label) pairs into choices in the person's language."""
    return tuple(Choice(key, ctx.t.gettext(label)) for key, label in options)
