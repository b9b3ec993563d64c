"""Issue 6's handoff acceptance: a request to talk to a person, opened from WhatsApp in
Tamazight, is answered by the animator from Telegram and closed; the person sees both in
their app, and the animator never sees the person's number."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.i18n import Translator
from core import services
from tests.e2e.fakes import FakeTelegram, FakeTwilio
from tests.e2e.harness import Chat, Served, serve, settings_for

PERSON = "whatsapp:+212600000931"
ANIMATOR = "telegram:8931"


@pytest.fixture
def app(fakes: tuple[FakeTelegram, FakeTwilio], sqlite_url: str) -> Iterator[Served]:
    telegram, twilio = fakes
    with serve(settings_for(sqlite_url, telegram, twilio), telegram, twilio) as served:
        now = served.container.clock()
        with served.container.uow() as uow:
            person = services.register_contact(uow, PERSON, "zgh", now)
            animator = services.register_contact(uow, ANIMATOR, "fr", now)
            person.roles, person.consent_at = "supporter", now
            animator.roles, animator.consent_at = "supporter,animator", now
            uow.commit()
        yield served


def turn(chat: Chat, text: str, contains: str | None = None) -> str:
    chat.say(text)
    return chat.expect_reply(contains)


def test_a_tamazight_request_is_answered_from_telegram_and_closed(app: Served) -> None:
    zgh, fr = Translator("zgh"), Translator("fr")
    person, animator = Chat(app, PERSON, "zgh"), Chat(app, ANIMATOR, "fr")

    turn(person, "ⴰⵣⵓⵍ")  # back at the menu
    asked = turn(person, "HUMAN", zgh.gettext(
        "I have told the team. A person will answer you here as soon as possible."))
    assert zgh.gettext("Write your question or your problem here: I pass it on to the team, "
                       "and a person will answer you here.") in asked
    animator.expect_reply()  # "Person #<id> asks to talk to a person."
    question = "ⵎⴰⵏⵉ ⵖⴰ ⴰⴷ ⴰⴼⵖ ⴰⵙⵏⴼⴰⵔ ⵏ ⵡⴰⵎⴰⵏ?"
    turn(person, question, zgh.gettext("✓ Passed on to the team."))
    relayed = animator.expect_reply(question)
    assert "212600000931" not in relayed and "WhatsApp" in relayed

    turn(animator, "menu")
    turn(animator, fr.gettext("Requests to talk to a person ({count})").format(count=1))
    card = turn(animator, "1", question)
    assert "212600000931" not in card
    turn(animator, fr.gettext("Answer"))
    answer = "Azul ! Le projet d'eau de Tafraout est dans « Voir les projets »."
    turn(animator, answer, fr.gettext("Sent to the person."))
    told = person.expect_reply(answer)
    assert told.startswith(zgh.gettext(
        "Answer from the team: “{text}”\nTo reply, write here; if you have left this "
        "conversation, write HUMAN first.").split("{text}")[0])

    turn(person, "ⵜⴰⵏⵎⵎⵉⵔⵜ!", zgh.gettext("✓ Passed on to the team."))
    animator.expect_reply("ⵜⴰⵏⵎⵎⵉⵔⵜ!")
    turn(animator, fr.gettext("Close the request"), fr.gettext("Closed; the person is told."))
    person.expect_reply(zgh.gettext("Your request to talk to a person is closed. Write HUMAN "
                                    "whenever you need a person again."))
    for call in app.telegram.calls:
        assert "212600000931" not in str(call.params.get("text", ""))
