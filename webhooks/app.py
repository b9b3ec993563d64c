"""The FastAPI app: routes verify, parse and hand over; nothing else."""

from __future__ import annotations

import asyncio
import hmac
import io
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import segno
from fastapi import Depends, FastAPI, Header, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from twilio.request_validator import RequestValidator

from bot.adapters import telegram as telegram_adapter
from bot.adapters import whatsapp as whatsapp_adapter
from bot.bootstrap import Container, invite_links, start
from bot.messages import Inbound
from bot.polling import poll_telegram
from core import invitations, outbox, proposals
from core import media as core_media
from core.domain.proposals import ProposalStatus
from core.models import Invitation, ProjectMedia
from webhooks.limits import BodyLimit

logger = logging.getLogger(__name__)


def create_app(container: Container, *, worker: bool = True,
               telegram_polling: bool = False) -> FastAPI:
    """Builds the web app around a container; the lifespan starts and stops it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await start(container, worker=worker)
        if telegram_polling:
            container.spawn(poll_telegram(container), cancel_on_close=True)
        yield
        await container.close()

    app = FastAPI(title="ComDev", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.container = container
    app.add_middleware(BodyLimit)
    app.post("/webhooks/telegram")(telegram_webhook)
    app.post("/webhooks/twilio")(twilio_webhook)
    app.post("/webhooks/twilio/status")(twilio_status)
    app.get("/healthz")(healthz)
    app.get("/metrics")(metrics)
    app.get("/media/{token}")(media)
    app.get("/qr/{code}.png")(qr_code)
    return app


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


async def telegram_webhook(
    request: Request, c: ContainerDep,
    secret: Annotated[str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token")] = None,
) -> Response:
    """Receives a Telegram update."""
    expected = c.settings.TELEGRAM_WEBHOOK_SECRET.get_secret_value()
    if not c.settings.telegram_enabled or not expected:
        return Response(status_code=404)
    if not hmac.compare_digest((secret or "").encode(), expected.encode()):
        c.metrics.rejected.labels("telegram", "secret").inc()
        return Response(status_code=403)
    try:
        data = json.loads(await request.body())
        message = telegram_adapter.parse(data, c.clock()) if isinstance(data, dict) else None
    except Exception:  # malformed JSON or an update PTB cannot read: never a 500
        c.metrics.rejected.labels("telegram", "malformed").inc()
        return Response(status_code=400)
    return await _hand_over(c, "telegram", message)


async def twilio_webhook(
    request: Request, c: ContainerDep,
    signature: Annotated[str | None, Header(alias="X-Twilio-Signature")] = None,
) -> Response:
    """Receives a WhatsApp message through Twilio."""
    form = await _verified_form(request, c, signature)
    if form is None:
        return Response(status_code=403 if c.settings.whatsapp_enabled else 404)
    message = whatsapp_adapter.parse(form, c.clock())
    response = await _hand_over(c, "whatsapp", message)
    return Response(status_code=response.status_code, media_type="text/xml",
                    content="<Response></Response>")


async def twilio_status(
    request: Request, c: ContainerDep,
    signature: Annotated[str | None, Header(alias="X-Twilio-Signature")] = None,
) -> Response:
    """Receives a delivery status callback for a message we sent."""
    form = await _verified_form(request, c, signature)
    if form is None:
        return Response(status_code=403 if c.settings.whatsapp_enabled else 404)
    sid, status = form.get("MessageSid", ""), form.get("MessageStatus", "")
    if sid and status:
        new = await asyncio.to_thread(_record_delivery, c, sid, status[:16],
                                      (form.get("ErrorCode") or None))
        if new:
            c.metrics.delivery.labels(status[:16]).inc()
    return Response(status_code=204)


async def healthz(c: ContainerDep) -> JSONResponse:
    """Reports whether the database and Redis answer."""
    report = await c.healthy()
    ok = report["database"] == "ok" and report["redis"] in ("ok", "off")
    return JSONResponse({"status": "ok" if ok else "degraded", **report},
                        status_code=200 if ok else 503)


async def metrics(c: ContainerDep) -> PlainTextResponse:
    """Exposes the Prometheus metrics."""
    c.metrics.queue_depth.set(await asyncio.to_thread(_queue_depth, c))
    found = await asyncio.to_thread(_figures, c)
    for status in ProposalStatus:
        c.metrics.proposals.labels(str(status)).set(found.by_status.get(status, 0))
    c.metrics.proposals_sent.set(found.sent)
    c.metrics.needs_matched.set(len(found.first_acceptance))
    for q in (0.5, 0.9):
        value = found.quantile(q)
        if value is not None:
            c.metrics.first_acceptance.labels(str(q)).set(value)
    return PlainTextResponse(generate_latest(c.metrics.registry),
                             media_type=CONTENT_TYPE_LATEST)


async def media(token: str, c: ContainerDep) -> Response:
    """Serves a voice note or photo a person sent, to someone on another channel."""
    media_id = core_media.verify(token, core_media.key(c.settings))
    if media_id is None:
        return Response(status_code=404)
    row = await asyncio.to_thread(_media_row, c, media_id)
    fetch = getattr(c.adapters.get(row.channel), "fetch", None) if row else None
    if row is None or fetch is None:
        return Response(status_code=404)
    try:
        body, mime = await fetch(row.ref)
    except Exception:  # the provider forgot it, refused, or it is too large
        logger.warning("media %s could not be fetched from %s", media_id, row.channel)
        return Response(status_code=502)
    return Response(body, media_type=row.mime or mime or "application/octet-stream",
                    headers={"Cache-Control": "private, max-age=3600"})


async def qr_code(code: str, c: ContainerDep) -> Response:
    """Draws the QR code of an invitation, for a poster in the village or a chat."""
    invitation = await asyncio.to_thread(_invitation, c, code)
    link = invite_links(c.settings, c.adapters, code).first if invitation else None
    if link is None:
        return Response(status_code=404)
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=8, border=4)
    return Response(buffer.getvalue(), media_type="image/png",
                    headers={"Cache-Control": "public, max-age=86400"})


def _figures(c: Container) -> proposals.Figures:
    with c.uow() as uow:
        return proposals.figures(uow)


def _invitation(c: Container, code: str) -> Invitation | None:
    with c.uow() as uow:
        return invitations.of(uow, code[:32])


def _media_row(c: Container, media_id: int) -> ProjectMedia | None:
    with c.uow() as uow:
        row = uow.session.get(ProjectMedia, media_id)
        if row is not None:
            uow.session.expunge(row)
        return row


async def _verified_form(request: Request, c: Container,
                         signature: str | None) -> dict[str, Any] | None:
    if not c.settings.whatsapp_enabled or not signature:
        c.metrics.rejected.labels("whatsapp", "signature").inc()
        return None
    form = {k: v for k, v in (await request.form()).multi_items() if isinstance(v, str)}
    url = c.settings.public_url(request.url.path)
    if request.url.query:
        url += "?" + request.url.query
    validator = RequestValidator(c.settings.TWILIO_AUTH_TOKEN.get_secret_value())
    if not validator.validate(url, form, signature):
        c.metrics.rejected.labels("whatsapp", "signature").inc()
        return None
    return form


async def _hand_over(c: Container, channel: str, message: Inbound | None) -> Response:
    """Records the message durably, answers 200, and processes it in the background."""
    if message is None:
        return Response(status_code=200)  # nothing a person needs answered
    await c.accept(channel, message)
    return Response(status_code=200)


def _record_delivery(c: Container, sid: str, status: str, error: str | None) -> bool:
    with c.uow() as uow:
        return outbox.record_delivery(uow, sid, status, error)


def _queue_depth(c: Container) -> int:
    with c.uow() as uow:
        return outbox.queue_depth(uow)
