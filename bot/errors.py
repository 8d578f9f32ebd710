"""The project's own exceptions: expected failures that members see as a short ephemeral reply.

Raise one of these anywhere (core, storage, cogs); the command tree's single error path turns
it into the reply. Anything else is a bug: logged with a reference and apologised for.
"""

from __future__ import annotations


class MontageBotError(Exception):
    """An expected failure whose message is safe and useful to show the member as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(MontageBotError):
    """Nothing matched what was asked for."""


class AlreadyNominated(MontageBotError):
    """The member already nominated this pick in this season."""

    def __init__(self, message: str, pick_key: str = "") -> None:
        super().__init__(message)
        self.pick_key = pick_key


class NotAllowed(MontageBotError):
    """The member lacks the right for this action, or is blocked from nominating."""


class LimitReached(MontageBotError):
    """A per-server anti-spam limit (cooldown, open suggestions) stops the action."""


class InvalidInput(MontageBotError):
    """Input that cannot be used as given (too long, empty, wrong shape)."""
