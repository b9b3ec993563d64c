"""The time, in UTC; tests pass their own clock."""

from collections.abc import Callable
from datetime import datetime

from core.models import utcnow

Clock = Callable[[], datetime]
system_clock: Clock = utcnow
