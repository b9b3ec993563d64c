"""Feeds the runner from Telegram's getUpdates, for a machine without a public HTTPS address."""

from __future__ import annotations

import asyncio
import logging

from bot.adapters.telegram import TelegramAdapter, parse
from bot.bootstrap import Container

logger = logging.getLogger(__name__)


async def poll_telegram(container: Container) -> None:
    """Long-polls Telegram until cancelled; each update takes the webhook's path."""
    adapter = container.adapters.get("telegram")
    if not isinstance(adapter, TelegramAdapter):
        raise RuntimeError("Telegram is not configured (TELEGRAM_BOT_TOKEN)")
    await adapter.bot.delete_webhook()  # getUpdates is refused while a webhook is set
    offset: int | None = None
    while True:
        try:
            updates = await adapter.updates(offset)
        except Exception as error:
            logger.warning("getUpdates failed: %s", type(error).__name__)
            await asyncio.sleep(5)
            continue
        for data in updates:
            offset = int(data["update_id"]) + 1
            message = parse(data, container.clock())
            if message is not None:
                await container.accept("telegram", message)
