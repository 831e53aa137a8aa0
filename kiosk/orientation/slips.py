"""The orientation slip's content, in the language of the locale in force when called."""

from ..codes import display_card_code
from ..qr import card_qr_svg
from .services import Slip


def slip_context(slip: Slip) -> dict:
    """Return what the slip templates show; render them inside force_locale(the resident's language)."""
    return {
        "slip": slip,
        "card_qr": card_qr_svg(slip.card_code) if slip.card_code else None,
        "card_code": display_card_code(slip.card_code) if slip.card_code else None,
    }
