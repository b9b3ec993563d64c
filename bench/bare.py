"""The baseline: a bare FastAPI endpoint that reads a Twilio form post and answers 200."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


@app.post("/webhooks/twilio")
async def twilio_webhook(request: Request) -> Response:
    """Reads the form, as our webhook does, and answers with an empty TwiML."""
    form = await request.form()
    form.get("MessageSid")
    return Response(status_code=200, media_type="text/xml", content="<Response></Response>")


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
