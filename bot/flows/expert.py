"""Registering as an expert by chat: skills with their level, languages spoken; then
residence (bot/flows/expert_place.py), availability (expert_time.py) and the summary
(expert_confirm.py). Other flows jump into one question with `begin_edit`."""

from __future__ import annotations

from bot.choices import pick
from bot.flows import (  # noqa: F401  (registers their states)
    expert_confirm,
    expert_place,
    expert_time,
)
from bot.flows.cards import skill_name
from bot.flows.common import visible
from bot.flows.engine import Context, Step, labels, state
from bot.flows.expert_answers import (
    FIELDS,
    KEY,
    LEVELS,
    PROFILE,
    SPOKEN_LABELS,
    S,
    advance,
    answers,
    on_ticks,
    skill_line,
    skills,
    ticks,
)
from bot.flows.organisation import free_text, left
from bot.messages import Choice, Inbound, Reply
from core.domain.experts import MAX_SKILLS, SPOKEN, Level
from core.experts import ProfileView

MAX_CANDIDATES = 5
MAX_WORDS = 120  # characters describing a skill
_LEVEL_ALIASES = {
    Level.LEARNING: ("débutant", "apprentissage", "كنتعلم", "تعلم", "kant3allem", "beginner"),
    Level.PRACTISED: ("pratiqué", "confirmé", "خبرة", "ممارس", "mjereb", "experienced"),
    Level.EXPERT: ("expert", "خبير", "khabir", "expertise", "ⴰⵎⵓⵙⵏⴰⵡ"),
}
_SPOKEN_ALIASES = {
    "ar": ("arabe", "عربية", "العربية", "l3arbiya"), "darija": ("دارجة", "الدارجة", "derija"),
    "zgh": ("tamazight", "amazigh", "tachelhit", "tarifit", "تمازيغت", "الأمازيغية",
            "شلحة", "ⵜⴰⵎⴰⵣⵉⵖⵜ"),
    "fr": ("français", "francais", "فرنسية", "الفرنسية", "fransawiya"),
    "en": ("anglais", "إنجليزية", "الإنجليزية", "نجليزية"),
    "es": ("espagnol", "español", "إسبانية", "سبنيولية"), "de": ("allemand", "ألمانية", "deutsch"),
    "nl": ("néerlandais", "hollandais", "هولندية"), "it": ("italien", "إيطالية", "italiano"),
}


# --- skills ---------------------------------------------------------------------------------

def ask_skill(ctx: Context) -> Reply:
    """Asks which skill the person offers."""
    return free_text(ctx, ctx.t.gettext(
        "Which skill do you offer? Describe it in a few words, for example: irrigation "
        "engineering."))


@state(S.SKILL, ask_skill)
def on_skill(msg: Inbound, ctx: Context) -> Step:
    """Searches the skills that fit the person's words."""
    leave = left(msg, ctx, KEY)
    if leave is not None:
        return leave
    words = " ".join(visible(msg.text or "").split()) if len(msg.text or "") < 4 * MAX_WORDS \
        else ""
    if not 2 <= len(words) <= MAX_WORDS or not any(c.isalpha() for c in words):
        return Step.stay(ctx.t.gettext("Please describe your skill in a few words (at most "
                                       "{limit} characters).").format(limit=ctx.t.number(
                                           MAX_WORDS)))
    search = ctx.facts.get("skills")
    found = list(search(words) or [])[:MAX_CANDIDATES] if callable(search) else []
    answers(ctx).update(words=words, candidates=[m.skill.code for m in found])
    return Step(next=S.SKILL_PICK)


def skill_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    codes = answers(ctx).get("candidates")
    found = tuple(Choice(str(code), skill_name(ctx, str(code)))
                  for code in (codes if isinstance(codes, list) else [])[:MAX_CANDIDATES])
    return (*found, Choice("other", _("Other: keep my words")),
            Choice("again", _("Search again")))


def ask_skill_pick(ctx: Context) -> Reply:
    """Shows the skills found and asks which one it is."""
    _ = ctx.t.gettext
    choices = skill_choices(ctx)
    text = (_("Which of these skills is it?") if len(choices) > 2
            else _("I found no skill with those words. Keep your words, or search again?"))
    return Reply(text, choices)


@state(S.SKILL_PICK, ask_skill_pick)
def on_skill_pick(msg: Inbound, ctx: Context) -> Step:
    """Keeps the skill picked, or the person's own words, or searches again."""
    choice = pick(msg, skill_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    words = answers(ctx).get("words")
    if choice.key == "again" or not isinstance(words, str):
        return Step(next=S.SKILL)
    answers(ctx)["pending"] = [None if choice.key == "other" else choice.key, words]
    return Step(next=S.LEVEL)


def level_choices(ctx: Context) -> tuple[Choice, ...]:
    return tuple(Choice(c.key, c.label, _LEVEL_ALIASES[Level(c.key)])
                 for c in labels(ctx, list(LEVELS.items())))


def ask_level(ctx: Context) -> Reply:
    """Asks how well the person masters the skill."""
    return Reply(ctx.t.gettext("What is your level in this skill?"), level_choices(ctx))


@state(S.LEVEL, ask_level)
def on_level(msg: Inbound, ctx: Context) -> Step:
    """Adds the skill with its level."""
    choice = pick(msg, level_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    pending = answers(ctx).pop("pending", None)
    if not isinstance(pending, list) or len(pending) != 2:
        return Step(next=S.SKILL)
    code, words = pending
    offered = [s for s in skills(ctx) if code is None or s[0] != code]
    answers(ctx)["skills"] = [*offered, [code, words, choice.key]][-MAX_SKILLS:]
    answers(ctx).pop("candidates", None)
    if len(answers(ctx)["skills"]) >= MAX_SKILLS:
        return advance(ctx, "skills")
    return Step(next=S.MORE_SKILLS)


def more_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    done = Choice("done", _("That's all"), ("c'est tout", "safi", "صافي", "ⵙⴰⴼⵉ"))
    if len(skills(ctx)) >= MAX_SKILLS:
        return (done,)
    return (Choice("add", _("Add another skill")), done)


def ask_more_skills(ctx: Context) -> Reply:
    """Lists the skills so far and asks whether there is another."""
    lines = [f"• {skill_line(ctx, s)}" for s in skills(ctx)]
    text = "\n".join([ctx.t.gettext("Your skills:"), *lines,
                      ctx.t.gettext("Do you offer another skill?")])
    return Reply(text, more_choices(ctx))


@state(S.MORE_SKILLS, ask_more_skills)
def on_more_skills(msg: Inbound, ctx: Context) -> Step:
    """Asks for another skill, or goes on."""
    choice = pick(msg, more_choices(ctx))
    if choice is None:
        return Step.stay(ctx.t.gettext("Please choose a number from the list."))
    if choice.key == "add" or not skills(ctx):
        return Step(next=S.SKILL)
    return advance(ctx, "skills")


# --- languages ------------------------------------------------------------------------------

def language_choices(ctx: Context) -> tuple[Choice, ...]:
    _ = ctx.t.gettext
    ticked = ticks(ctx, "languages", SPOKEN)
    items = tuple(Choice(key, ("✓ " if key in ticked else "") + _(SPOKEN_LABELS[key]),
                         _SPOKEN_ALIASES[key]) for key in SPOKEN)
    return (*items, Choice("done", _("Done")))


def ask_languages(ctx: Context) -> Reply:
    """Asks which languages the person speaks, showing those ticked so far."""
    return Reply(ctx.t.gettext(
        "Which languages do you speak? Choose each number that applies (several at once if "
        "you like: 1 3), then “Done”."), language_choices(ctx))


@state(S.LANGUAGES, ask_languages)
def on_languages(msg: Inbound, ctx: Context) -> Step:
    """Ticks or unticks languages, until the person is done."""
    return on_ticks(msg, ctx, "languages", SPOKEN, language_choices(ctx),
                    ctx.t.gettext("Please choose at least one language."))


# --- editing one field ----------------------------------------------------------------------

def begin_edit(ctx: Context, profile: ProfileView, field: str) -> Step:
    """Copies the profile into the scratch answers and asks the first question of a field."""
    if field not in FIELDS:
        return Step(next=PROFILE)
    ctx.data[KEY] = {
        "edit": field,
        "skills": [] if field == "skills" else [[s.code, s.label, s.level]
                                                for s in profile.skills],
        "languages": list(profile.languages), "country": profile.country,
        "city": profile.city, "timezone": profile.timezone,
        "origin": expert_place.origin_row(ctx, profile.origin_code),
        "themes": list(profile.themes), "hours": profile.hours_per_month, "mode": profile.mode,
        "visits": [] if field == "visits" else [[v.starts.isoformat(), v.ends.isoformat()]
                                                for v in profile.visits],
        "proposals": profile.proposals_per_month, "consent": profile.accepts_proposals}
    return Step(next=FIELDS[field])
