"""The console shows what a WhatsApp user sees, and says whom another person's message is for."""

from __future__ import annotations

from bot.adapters.console import ConsoleAdapter
from bot.messages import Choice, Reply


async def test_the_console_numbers_choices_like_whatsapp() -> None:
    shown: list[str] = []
    await ConsoleAdapter(shown.append, me="whatsapp:+2126").send(
        "whatsapp:+2126", Reply("Which?", (Choice("a", "Apple"), Choice("b", "Bean"))))
    assert shown == ["Which?\n\n1. Apple\n2. Bean"]


async def test_a_message_for_someone_else_says_whom_it_is_for() -> None:
    shown: list[str] = []
    await ConsoleAdapter(shown.append, me="telegram:1").send("whatsapp:+2126", Reply("Good news"))
    assert shown == ["[to whatsapp:+2126]\nGood news"]
