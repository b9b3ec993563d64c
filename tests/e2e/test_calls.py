"""Issue 6's acceptance for calls: an animator on Telegram calls for irrigation engineers who
speak Tamazight; the preview's counts match the seeded audience; the call reaches each
recipient in their own language and app; one answers interested and lands in the matching
flow (the representative is asked); an opted-out person and a paused person, and those the
filters leave out, receive nothing. Driven with the animator in each of the four
languages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.i18n import NATIVE_NAMES, Translator
from core import services, territories
from core.models import Broadcast, ExpertProfile, ExpertSkill, Person, Proposal
from tests.e2e.fakes import FakeTelegram, FakeTwilio
from tests.e2e.harness import Chat, Served, eventually, serve, settings_for
from tests.e2e.test_matching import REPRESENTATIVE, START, TITLE, advancing, water_need

SKILL = "water.irrigation_engineering"
ANIMATOR = "telegram:8001"


@pytest.fixture
def app(fakes: tuple[FakeTelegram, FakeTwilio], sqlite_url: str) -> Iterator[Served]:
    telegram, twilio = fakes
    with serve(settings_for(sqlite_url, telegram, twilio), telegram, twilio,
               clock=advancing(START)) as served:
        served.container.matched_on = START.date()  # no nightly matching run in this test
        with served.container.uow() as uow:
            territories.load(uow)
            uow.commit()
        yield served


#: name, identity, chat language, languages spoken, skill, what else
PEOPLE: list[tuple[str, str, str, str, str, dict[str, Any]]] = [
    ("Tiziri", "telegram:9101", "zgh", "zgh,fr", SKILL, {}),
    ("Hamid", "whatsapp:+212600009102", "ar", "ar,zgh", SKILL, {}),
    ("Claire", "telegram:9103", "fr", "fr,zgh", SKILL, {"country": "FR"}),
    ("John", "whatsapp:+447700009104", "en", "en,zgh", SKILL, {"country": "GB"}),
    ("Stop", "telegram:9105", "fr", "zgh", SKILL, {"opted_out": True}),
    ("Pause", "telegram:9106", "fr", "zgh", SKILL, {"paused": True}),
    ("Nozgh", "telegram:9107", "fr", "fr", SKILL, {}),
    ("Nurse", "telegram:9108", "zgh", "zgh", "health.nursing", {}),
]
REACHED, OPTED_OUT, PAUSED, OTHERS = PEOPLE[:4], PEOPLE[4], PEOPLE[5], PEOPLE[6:]


def seed_experts(app: Served) -> dict[str, int]:
    now = app.container.clock()
    ids = {}
    with app.container.uow() as uow:
        for name, identity, language, spoken, skill, extra in PEOPLE:
            person = services.register_contact(uow, identity, language, now, name)
            person.roles, person.consent_at = "expert", now
            person.opted_out = bool(extra.get("opted_out"))
            uow.session.flush()
            uow.session.add(ExpertProfile(
                person_id=person.id or 0, country=extra.get("country", "MA"),
                languages=spoken, accepts_proposals=True, proposals_per_month=3,
                paused_until=now.date() + timedelta(days=30) if extra.get("paused") else None))
            uow.session.add(ExpertSkill(person_id=person.id or 0, skill_code=skill,
                                        level="expert"))
            ids[name] = person.id or 0
        uow.commit()
    return ids


def buttons(chat: Chat) -> list[str]:
    """The labels of the buttons under the last message to a Telegram chat."""
    markup = chat.last().params.get("reply_markup") or {}
    return [row[0]["text"] for row in markup.get("inline_keyboard", [])]


def turn(chat: Chat, text: str, contains: str | None = None) -> str:
    chat.say(text)
    return chat.expect_reply(contains)


@pytest.mark.parametrize("language", ["fr", "ar", "zgh", "en"])
def test_an_animator_calls_for_tamazight_speaking_irrigation_engineers(
        app: Served, language: str) -> None:
    water_need(app)
    with app.container.uow() as uow:  # the animator of water_need, in this run's language
        animator = services.find_person(uow, ANIMATOR)
        assert animator is not None
        animator.language, animator.consent_at = language, app.container.clock()
        animator.roles = "supporter,animator"
        uow.commit()
    ids = seed_experts(app)
    t = Translator(language)
    _ = t.gettext

    # Composing: the need, Tamazight, anywhere; the preview counts the seeded audience.
    boss = Chat(app, ANIMATOR, language)
    turn(boss, "menu")
    assert _("Call for experts") in buttons(boss)
    turn(boss, _("Call for experts"), _("Call for experts. Which need is the call about?"))
    turn(boss, "1", _("Which languages must the experts speak? Tick each number that applies "
                      "(several at once if you like: 1 3), then “Done”. Nothing ticked: any "
                      "language."))
    turn(boss, "3")  # Tamazight, third of the spoken languages
    turn(boss, _("Done"), _("In which countries must they live? Write the countries "
                            "separated by commas (France, Canada), or choose “Anywhere”."))
    preview = turn(boss, _("Anywhere"))
    assert t.ngettext("It reaches {n} person.", "It reaches {n} people.", 4).format(
        n=t.number(4)) in preview
    assert f"Telegram: {t.number(2)}" in preview and f"WhatsApp: {t.number(2)}" in preview
    for code in ("ar", "zgh", "fr", "en"):
        assert f"{NATIVE_NAMES[code]}: {t.number(1)}" in preview
    assert t.ngettext("Left out: {n} person.", "Left out: {n} people.", 2).format(
        n=t.number(2)) in preview
    assert f"{_('sent STOP')}: {t.number(1)}" in preview
    assert f"{_('paused their proposals')}: {t.number(1)}" in preview
    turn(boss, _("Send the call"), t.ngettext(
        "The call is on its way to {n} person.", "The call is on its way to {n} people.",
        4).format(n=t.number(4)))

    # Each recipient reads the call in their own language, in their own app.
    chats = {name: Chat(app, identity, reader) for name, identity, reader, *_ in PEOPLE}
    for name, _identity, reader, *_rest in REACHED:
        theirs = Translator(reader)
        text = chats[name].expect_reply(theirs.gettext("Call for experts!"), timeout=15)
        assert theirs.iso(TITLE) in text
        assert theirs.gettext("To answer, open the menu and choose “Calls for experts”.") \
            in text
    for name, *_rest in (OPTED_OUT, PAUSED, *OTHERS):
        chats[name].expect_silence(0.3)
    with app.container.uow() as uow:
        sent = uow.session.exec(select(Broadcast)).one()
        assert sent.status == "done" and sent.created_by is not None

    # Tiziri (Tamazight, Telegram) answers interested: the representative is asked.
    zgh = Translator("zgh")
    tiziri = chats["Tiziri"]
    turn(tiziri, "menu")
    assert zgh.gettext("Calls for experts ({count})").format(count=zgh.iso(1)) in buttons(
        tiziri)
    turn(tiziri, zgh.gettext("Calls for experts ({count})").format(count=zgh.iso(1)))
    card = turn(tiziri, "1", zgh.gettext("Would you like to help?"))
    assert zgh.iso(TITLE) in card
    turn(tiziri, zgh.gettext("I am interested"), zgh.gettext(
        "Thank you! I have told the organisation. You will hear from me as soon as they "
        "answer; until then, nothing of yours is shown to them but your first name, skills, "
        "languages and country."))
    ar = Translator("ar")
    rep = Chat(app, REPRESENTATIVE, "ar")
    summary = rep.expect_reply(ar.gettext(
        "To accept or decline, open the menu and choose “Experts interested”."))
    assert "9101" not in summary  # her first name only, never her chat id
    assert ar.gettext("answered the call for experts") in summary

    def proposal() -> tuple[str, str] | None:
        with app.container.uow() as uow:
            found = uow.session.exec(select(Proposal).where(
                Proposal.expert_id == ids["Tiziri"])).first()
            return (found.status, found.reasons) if found else None

    status, reasons = eventually(proposal)
    assert status == "interested" and reasons.endswith("call")
    with app.container.uow() as uow:
        stopped = uow.session.get(Person, ids["Stop"])
        assert stopped is not None and stopped.opted_out
    for name, *_rest in (OPTED_OUT, PAUSED, *OTHERS):
        assert chats[name].outbound() == []


@pytest.mark.parametrize("language", ["ar", "en"])
def test_an_animator_sends_news_to_the_experts_each_reads_it_in_their_language_or_french(
        app: Served, language: str) -> None:
    water_need(app)
    with app.container.uow() as uow:
        animator = services.find_person(uow, ANIMATOR)
        assert animator is not None
        animator.language, animator.consent_at = language, app.container.clock()
        animator.roles = "supporter,animator"
        uow.commit()
    seed_experts(app)
    t = Translator(language)
    _ = t.gettext
    boss = Chat(app, ANIMATOR, language)
    turn(boss, "menu")
    turn(boss, _("Send news to the community"))
    first = "تكوين في الري يوم السبت" if language == "ar" else "Irrigation training on Saturday"
    turn(boss, first)
    assert _("Choose who receives it") in buttons(boss)
    turn(boss, _("Add it in another language"), _("In which language do you add it?"))
    turn(boss, NATIVE_NAMES["fr"])
    turn(boss, "Formation à l'irrigation samedi")
    turn(boss, _("Choose who receives it"), _("Who receives it?"))
    preview = turn(boss, _("The experts"))
    assert t.ngettext("It reaches {n} person.", "It reaches {n} people.", 7).format(
        n=t.number(7)) in preview  # the paused are reached by news; STOP is not
    assert f"{_('sent STOP')}: {t.number(1)}" in preview
    turn(boss, _("Send now"), t.ngettext("The message is on its way to {n} person.",
                                         "The message is on its way to {n} people.",
                                         7).format(n=t.number(7)))
    chats = {name: Chat(app, identity, reader) for name, identity, reader, *_ in PEOPLE}
    for name, _identity, reader, *_rest in PEOPLE:
        if name == "Stop":
            continue
        written = {"fr": "Formation à l'irrigation samedi", language: first}
        expected = written.get(reader) or written["fr"]
        got = chats[name].expect_reply(timeout=15)
        assert expected in got, (name, got)
    chats["Stop"].expect_silence(0.3)
    Chat(app, REPRESENTATIVE, "ar").expect_silence(0.3)
