"""`comdev chat`: the whole message path, with the console standing in for the channel."""

from __future__ import annotations

import asyncio
import uuid

from rich.console import Console

from bot.adapters.console import ConsoleAdapter
from bot.bootstrap import Container, build
from bot.messages import Inbound, Media
from core.config import Settings

console = Console()
#: Lines that stand for what a phone can send besides text.
FAKE_MEDIA = {"/voice": Media("voice", "console://voice", "audio/ogg"),
              "/photo": Media("photo", "console://photo", "image/jpeg"),
              "/sticker": Media("sticker", "console://sticker", "image/webp")}


async def run_chat(settings: Settings, identity: str, language: str | None) -> None:
    """Reads lines, sends them through the runner, prints what goes out; Ctrl-D ends."""
    screen = ConsoleAdapter(lambda text: console.print(text + "\n", style="green", markup=False,
                                                       highlight=False, soft_wrap=True),
                           me=identity)
    container = build(settings, adapters={"whatsapp": screen, "telegram": screen})
    container.seed()
    console.print(f"Chatting as {identity}. Type a message; /voice, /photo or /sticker send "
                  "those; Ctrl-D to quit.\n")
    try:
        while True:
            try:
                line = await asyncio.to_thread(input, "> ")
            except EOFError:
                break
            await say(container, identity, line, language)
    finally:
        await container.close()


async def say(container: Container, identity: str, line: str, language: str | None) -> None:
    """Sends one line as the person and delivers every reply it causes."""
    media = FAKE_MEDIA.get(line.strip())
    message = Inbound(identity, f"console:{uuid.uuid4().hex}", container.clock(),
                      text=None if media else line, media=(media,) if media else (),
                      language_hint=language)
    await container.accept(identity.partition(":")[0], message)
    await asyncio.gather(*container.tasks)
    while await container.dispatcher.run_once():
        pass
