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
    return _app(worker=True)


def create_web_only() -> FastAPI:
    """Builds the app as `comdev serve --no-worker` does (scaled mode)."""
    return _app(worker=False)


def _app(worker: bool) -> FastAPI:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    logging.basicConfig(level=settings.LOG_LEVEL,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return create_app(build(settings), worker=worker)
