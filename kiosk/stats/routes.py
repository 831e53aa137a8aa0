"""Routes of this area: thin, one service call each."""

from . import bp  # noqa: F401
