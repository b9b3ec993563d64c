"""All conversations. Importing this package registers every state."""

from bot.flows import menu, onboarding, organisation  # noqa: F401  (registers the states)
from bot.flows.conversation import Outcome, respond, start_state

__all__ = ["Outcome", "respond", "start_state"]
