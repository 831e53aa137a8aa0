"""What this area does when another one writes: erasing a card unlinks what its holder said."""

from .. import signals
from .services import unlink_cards


@signals.card_unlinked.connect
def _on_card_unlinked(_sender, *, card_ids, **_extra) -> None:
    unlink_cards(card_ids)
