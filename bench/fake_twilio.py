"""A tiny fake of Twilio's Messages API, so the dispatcher has somewhere to send."""

from __future__ import annotations

import secrets

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
sent = {"count": 0}


@app.post("/2010-04-01/Accounts/{sid}/Messages.json")
async def create_message(sid: str, request: Request) -> JSONResponse:
    """Accepts any message and answers 201 queued, like Twilio does."""
    await request.form()
    sent["count"] += 1
    message_sid = "SM" + secrets.token_hex(16)
    return JSONResponse({"sid": message_sid, "account_sid": sid, "status": "queued"},
                        status_code=201)


@app.get("/healthz")
async def healthz() -> dict[str, int]:
    """Says how many messages were 'sent'."""
    return {"sent": sent["count"]}
