"""Uvicorn factory for our app (`uvicorn --factory bench.ours:create`), configured by the
environment the bench sets; a `.env` in the working folder is deliberately ignored."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from bot.bootstrap import build
from core.config import Settings
from webhooks.app import create_app


def create() -> FastAPI:
    """Builds the app exactly as `comdev serve` does, but without reading `.env`."""
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    logging.basicConfig(level=settings.LOG_LEVEL,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return create_app(build(settings))
