"""Draw a card's QR code as inline SVG: no image library, nothing to download."""

import qrcode
from markupsafe import Markup

from ..codes import card_qr_payload


def qr_matrix(text: str) -> list[list[bool]]:
    """Return the QR modules of the text, with a quiet zone of four modules."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.get_matrix()


def card_qr_svg(code: str) -> Markup:
    """Return an SVG of the QR for this card code (our prefix and the code, nothing else)."""
    matrix = qr_matrix(card_qr_payload(code))
    size = len(matrix)
    cells = "".join(
        f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    )
    return Markup(
        f'<svg class="qr" viewBox="0 0 {size} {size}" role="img" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{cells}" fill="#000"/></svg>'
    )
