"""Near-miss answers at the two questions whose answer cannot be undone: consent and erasure.

A fuzzy match may help someone who mistyped a label; it must not turn a question, a doubt or
an unrelated word into an erasure or a consent. (WRatio once scored any text containing a
3-letter alias such as 'yes' or 'non' about 90, above the cutoff.)"""

from __future__ import annotations

import pytest

from bot.flows import respond
from core.commands import ErasePerson, GiveConsent
from tests.unit.support import context, inbound, member, newcomer


@pytest.mark.parametrize("text", ["Yes, erase everything", "yes", "1", "oui", "نعم", "ⵢⵢⵀ",
                                  "Yes, erase everythng"])
def test_a_clear_yes_confirms_the_erasure(text: str) -> None:
    assert respond(inbound(text), context(member()), "menu.erase").commands == [ErasePerson()]


@pytest.mark.parametrize("text", ["No, keep my data", "no", "2", "non", "لا", "No keep my dta"])
def test_a_clear_no_keeps_the_data(text: str) -> None:
    outcome = respond(inbound(text), context(member()), "menu.erase")
    assert (outcome.state, outcome.commands) == ("menu.main", [])


@pytest.mark.parametrize("text", ["hello", "why?", "wait", "later", "lol", "👍"])
def test_an_unrelated_answer_erases_nothing(text: str) -> None:
    outcome = respond(inbound(text), context(member()), "menu.erase")
    assert (outcome.state, outcome.commands) == ("menu.erase", [])


@pytest.mark.parametrize("text", ["what does yes mean?", "yes or no", "yesterday",
                                  "ouistiti"])
def test_a_text_that_only_contains_yes_erases_nothing(text: str) -> None:
    assert ErasePerson() not in respond(inbound(text), context(member()), "menu.erase").commands


@pytest.mark.parametrize("text", ["anonymous", "nonsense", "machine", "no idea"])
def test_a_word_that_only_contains_no_does_not_decline_consent(text: str) -> None:
    commands = respond(inbound(text), context(newcomer()), "onboarding.consent").commands
    assert ErasePerson() not in commands


@pytest.mark.parametrize("text", ["I don't know", "what does yes mean?", "yesterday"])
def test_a_doubt_or_a_question_gives_no_consent(text: str) -> None:
    commands = respond(inbound(text), context(newcomer()), "onboarding.consent").commands
    assert GiveConsent() not in commands
