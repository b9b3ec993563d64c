"""All conversations. Importing this package registers every state."""

from bot.flows import (  # noqa: F401  (registers the states)
    membership,
    menu,
    mine,
    mine_changes,
    need_entry,
    need_skill,
    needs,
    onboarding,
    organisation,
    project,
    project_commune,
    project_description,
    project_theme,
    review,
)
from bot.flows.conversation import Outcome, respond, start_state

__all__ = ["Outcome", "respond", "start_state"]
