"""Domain rules: identities, outbox backoff, people."""

from datetime import timedelta

import pytest

from core.domain.identity import Channel, Identity
from core.domain.outbox import BASE_BACKOFF, MAX_ATTEMPTS, MAX_BACKOFF, next_delay
from core.domain.people import (
    SELF_CHOSEN_ROLES,
    Role,
    format_roles,
    may_receive_bulk,
    parse_roles,
)
from tests.unit.support import person


@pytest.mark.parametrize(("text", "channel", "address"), [
    ("telegram:12345", Channel.TELEGRAM, "12345"),
    ("telegram:-1001234567890", Channel.TELEGRAM, "-1001234567890"),
    ("whatsapp:+212600000000", Channel.WHATSAPP, "+212600000000"),
    ("  whatsapp:+14155238886 ", Channel.WHATSAPP, "+14155238886"),
])
def test_a_valid_identity_is_parsed(text: str, channel: Channel, address: str) -> None:
    identity = Identity.parse(text)
    assert (identity.channel, identity.address) == (channel, address)


def test_an_identity_prints_as_it_is_written() -> None:
    assert str(Identity.parse("whatsapp:+212600000000")) == "whatsapp:+212600000000"


@pytest.mark.parametrize("text", [
    "", "telegram", "telegram:", "telegram:abc", "telegram:12 34", "whatsapp:212600000000",
    "whatsapp:+0212600000", "whatsapp:+12345", "whatsapp:+1234567890123456",
    "sms:+212600000000", "Telegram:123", "whatsapp:+212 600 000 000",
])
def test_an_invalid_identity_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Identity.parse(text)


def test_the_refusal_does_not_echo_the_number() -> None:
    with pytest.raises(ValueError) as error:
        Identity.parse("whatsapp:212600000000")
    assert "212600000000" not in str(error.value)


def test_an_identity_with_arabic_indic_digits_is_refused() -> None:
    with pytest.raises(ValueError):
        Identity.parse("telegram:١٢٣")


def test_the_first_retry_waits_the_base_backoff() -> None:
    assert next_delay(1, None) == timedelta(seconds=BASE_BACKOFF)


def test_the_backoff_doubles_with_each_attempt() -> None:
    delays = [next_delay(n, None) for n in range(1, MAX_ATTEMPTS)]
    assert all(b == 2 * a for a, b in zip(delays, delays[1:], strict=False) if a and b)


def test_the_backoff_never_passes_its_ceiling() -> None:
    delays = [next_delay(n, None) for n in range(1, MAX_ATTEMPTS)]
    assert all(d is not None and d <= timedelta(seconds=MAX_BACKOFF) for d in delays)


def test_a_longer_retry_after_is_honoured() -> None:
    assert next_delay(1, 37.5) == timedelta(seconds=37.5)


def test_a_shorter_retry_after_does_not_shorten_the_backoff() -> None:
    assert next_delay(3, 1.0) == timedelta(seconds=BASE_BACKOFF * 4)


@pytest.mark.parametrize("attempts", [MAX_ATTEMPTS, MAX_ATTEMPTS + 1, 100])
def test_it_gives_up_after_the_last_attempt(attempts: int) -> None:
    assert next_delay(attempts, None) is None
    assert next_delay(attempts, 5.0) is None


def test_a_person_without_consent_has_not_consented() -> None:
    assert not person().has_consented
    assert person(consented=True).has_consented


def test_the_chosen_role_ignores_given_roles() -> None:
    animator = person(extra_roles=frozenset({Role.ANIMATOR}))
    assert animator.chosen_role is None
    assert animator.is_animator


def test_the_chosen_role_is_the_self_chosen_one() -> None:
    both = person(role=Role.EXPERT, extra_roles=frozenset({Role.ADMIN}))
    assert both.chosen_role is Role.EXPERT
    assert both.is_animator


def test_a_plain_member_is_not_an_animator() -> None:
    assert not person(role=Role.VISITOR).is_animator


def test_self_chosen_roles_exclude_animator_and_admin() -> None:
    assert Role.ANIMATOR not in SELF_CHOSEN_ROLES and Role.ADMIN not in SELF_CHOSEN_ROLES


@pytest.mark.parametrize(("opted_out", "unreachable", "allowed"), [
    (False, False, True), (True, False, False), (False, True, False), (True, True, False)])
def test_bulk_goes_only_to_people_who_are_in_and_reachable(
        opted_out: bool, unreachable: bool, allowed: bool) -> None:
    assert may_receive_bulk(opted_out, unreachable) is allowed


def test_stored_roles_are_read_ignoring_unknown_ones() -> None:
    assert parse_roles("expert,wizard,,animator") == {Role.EXPERT, Role.ANIMATOR}
    assert parse_roles("") == frozenset()


def test_roles_are_written_in_a_stable_order() -> None:
    assert format_roles({Role.ANIMATOR, Role.EXPERT}) == "expert,animator"
    assert format_roles(set()) == ""


def test_roles_survive_a_round_trip() -> None:
    roles = frozenset({Role.REPRESENTATIVE, Role.ADMIN})
    assert parse_roles(format_roles(roles)) == roles
