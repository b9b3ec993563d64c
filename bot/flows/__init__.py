"""All conversations. Importing this package registers every state."""

from bot.flows import (  # noqa: F401  (registers the states)
    announce,
    browse,
    calls,
    candidates,
    expert,
    handoff,
    membership,
    menu,
    mine,
    mine_changes,
    need_entry,
    need_skill,
    needs,
    offers,
    onboarding,
    organisation,
    profile,
    project,
    project_commune,
    project_description,
    project_theme,
    review,
    supporter,
    team,
)
from bot.flows.conversation import Outcome, respond, start_state

__all__ = ["Outcome", "respond", "start_state"]
