"""Onboarding: language, consent, role; then the main menu."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from bot.choices import pick
from bot.flows.engine import Context, Step, labels, render, state
from bot.i18n import LANGUAGES, N_, NATIVE_NAMES
from bot.i18n.keywords import NO, YES
from bot.messages import Choice, Inbound, Reply
from core.commands import ChooseRole, ErasePerson, GiveConsent, SetLanguage
from core.domain.people import Role


class S(StrEnum):
    LANGUAGE = "onboarding.language"
    CONSENT = "onboarding.consent"
    ROLE = "onboarding.role"


MAIN_MENU = "menu.main"
EXPERT_REGISTRATION = "expert.skill"  # someone offering skills says which, first

_ROLES = [
    (Role.REPRESENTATIVE.value, N_("I represent an association, a commune or a cooperative")),
    (Role.EXPERT.value, N_("I want to offer my skills")),
    (Role.SUPPORTER.value, N_("I want to support projects")),
    (Role.VISITOR.value, N_("I am just looking")),
]
_ROLE_ALIASES = {
    Role.REPRESENTATIVE.value: ("association", "commune", "cooperative", "جمعية", "جماعة",
                                "تعاونية", "ⵜⴰⵎⵙⵙⵓⴷⵙⵜ", "jam3iya", "ta3awniya"),
    Role.EXPERT.value: ("expert", "skills", "competences", "خبير", "خبرة", "ⴰⵎⵓⵙⵏⴰⵡ", "khabir"),
    Role.SUPPORTER.value: ("support", "soutenir", "دعم", "ⴰⵙⵎⴻⴷⵢⴰ", "da3m"),
    Role.VISITOR.value: ("look", "regarder", "voir", "نشوف", "تفرج", "ⵥⵕ", "nchouf", "ntfrj"),
}


def language_choices(ctx: Context) -> tuple[Choice, ...]:
    """Offers the four languages in their own scripts, the person's current one first."""
    order = sorted(LANGUAGES, key=lambda lang: lang != ctx.person.language)
    return tuple(Choice(lang, NATIVE_NAMES[lang], (lang,)) for lang in order)


def ask_language(ctx: Context) -> Reply:
    """Asks which language to speak."""
    _ = ctx.t.gettext
    return Reply(
        _("Welcome to ComDev, the assistant that connects the projects of our villages "
          "with the people who can help them. Which language do you prefer?"),
        language_choices(ctx),
    )


@state(S.LANGUAGE, ask_language)
def on_language(msg: Inbound, ctx: Context) -> Step:
    """Takes the chosen language."""
    choice = pick(msg, language_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a language from the list."))
    after = ctx.in_language(choice.key)
    if not ctx.person.has_consented:
        nxt = S.CONSENT
    else:
        nxt = MAIN_MENU if ctx.person.chosen_role else S.ROLE
    confirm = Reply(after.t.gettext("Very well, I will speak English with you."))
    return Step(next=nxt, say=[confirm], commands=[SetLanguage(choice.key)])


def consent_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    return (Choice("yes", _("I agree"), YES), Choice("no", _("No, thank you"), NO))


def ask_consent(ctx: Context) -> Reply:
    """Asks for consent to keep what the person tells us."""
    _ = ctx.t.gettext
    return Reply(
        _("Before we start, what I keep about you:\n"
          "• your number or Telegram account, your language and what you tell me here;\n"
          "• the team of the association that runs ComDev can see it, to help you;\n"
          "• the people you are matched with see your number only once you both agree;\n"
          "• you can see everything I keep, and erase it, at any time from the menu.\n"
          "Do you agree?"),
        consent_choices(ctx),
    )


@state(S.CONSENT, ask_consent)
def on_consent(msg: Inbound, ctx: Context) -> Step:
    """Records consent, or forgets the person who declines."""
    choice = pick(msg, consent_choices(ctx))
    _ = ctx.t.gettext
    if choice is None:
        return Step.stay(_("Please answer 1 if you agree, or 2 if you do not."))
    if choice.key == "no":
        goodbye = Reply(_("Understood: I have kept nothing about you. If you change your mind, "
                          "just write to me again."))
        return Step(next=S.LANGUAGE, say=[goodbye], commands=[ErasePerson()], ask=False)
    return Step(next=S.ROLE, commands=[GiveConsent()])


def role_choices(ctx: Context) -> tuple[Choice, ...]:
    return tuple(
        Choice(c.key, c.label, _ROLE_ALIASES[c.key]) for c in labels(ctx, _ROLES)
    )


def ask_role(ctx: Context) -> Reply:
    """Asks how the person wants to take part."""
    return Reply(ctx.t.gettext("How do you want to take part?"), role_choices(ctx))


@state(S.ROLE, ask_role)
def on_role(msg: Inbound, ctx: Context) -> Step:
    """Takes the person's role and opens their main menu."""
    choice = pick(msg, role_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose one of the four answers."))
    role = Role(choice.key)
    if role is Role.EXPERT and ctx.facts.get("profile") is None:
        return Step(next=EXPERT_REGISTRATION, commands=[ChooseRole(role)])
    return Step(next=MAIN_MENU, commands=[ChooseRole(role)])


def invitation(ctx: Context, name: str) -> Reply:
    """The one message a member of an imported network receives: who we are, then the consent
    question, whose answer they give as anyone else would."""
    consent = render(S.CONSENT, ctx)
    hello = ctx.t.gettext("Hello {name}! ComDev connects the projects of Moroccan villages "
                          "with people who can help them, like you. Would you like to join?")
    return replace(consent, text=hello.format(name=ctx.t.iso(name)) + "\n\n" + consent.text)
