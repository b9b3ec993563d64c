"""All conversations. Importing this package registers every state."""

from bot.flows import (  # noqa: F401  (registers the states)
    membership,
    menu,
    mine,
    needs,
    onboarding,
    organisation,
    project,
    review,
)
from bot.flows.conversation import Outcome, respond, start_state

__all__ = ["Outcome", "respond", "start_state"]
