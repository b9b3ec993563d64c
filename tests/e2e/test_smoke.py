from tests.e2e.harness import Chat, Served


def test_a_whatsapp_hello_gets_the_language_menu(served: Served) -> None:
    chat = Chat(served, "whatsapp:+212600000001")
    chat.say("hello")
    text = chat.expect_reply("English")
    assert "1." in text


def test_a_telegram_hello_gets_a_keyboard(served: Served) -> None:
    chat = Chat(served, "telegram:5001", language_code="fr")
    chat.say("/start")
    chat.expect_reply()
    assert chat.last().params["reply_markup"]["inline_keyboard"]
    chat.press(1)
    chat.expect_reply()
