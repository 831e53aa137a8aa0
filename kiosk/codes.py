"""Random codes people read, type and scan: card codes and event codes.

The alphabet drops look-alikes (0/O, 1/I/L) and has 31 symbols. 31 is prime, so a check
character computed as a weighted sum modulo 31, with weights 1..n, catches every
single-character typo and every swap of two neighbours.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
# 9 random symbols: 31**9 ≈ 2**44.6, above the 40 random bits we promise.
CARD_RANDOM_LENGTH = 9
CARD_LENGTH = CARD_RANDOM_LENGTH + 1
# What a QR of ours starts with, so a foreign QR code is told apart from a typo.
QR_PREFIX = "HLM1:"
EVENT_CODE_LENGTH = 6


def check_character(body: str) -> str:
    total = sum((i + 1) * _VALUE[c] for i, c in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_card_code() -> str:
    """Return a fresh card code: random symbols then their check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(CARD_RANDOM_LENGTH))
    return body + check_character(body)


def normalise(raw: str) -> str:
    """Strip our QR prefix, spaces and dashes; upper-case what was typed."""
    text = (raw or "").strip()
    if text.upper().startswith(QR_PREFIX):
        text = text[len(QR_PREFIX):]
    return "".join(c for c in text.upper() if c not in " -\t\r\n")


def is_valid_card_code(code: str) -> bool:
    return (
        len(code) == CARD_LENGTH
        and all(c in _VALUE for c in code)
        and check_character(code[:-1]) == code[-1]
    )


def parse_card_code(raw: str) -> str | None:
    """Return the canonical code for what was scanned or typed, or None if it is not ours."""
    code = normalise(raw)
    return code if is_valid_card_code(code) else None


def looks_foreign(raw: str) -> bool:
    """Tell a QR that is not ours (a URL, another prefix) from a mistyped card code."""
    text = (raw or "").strip()
    if text.upper().startswith(QR_PREFIX):
        return False
    return "://" in text or len(normalise(text)) > CARD_LENGTH + 4 or ":" in text


def display_card_code(code: str) -> str:
    """Group for reading aloud and copying: ABCDE-FGHJK."""
    return f"{code[:5]}-{code[5:]}"


def card_qr_payload(code: str) -> str:
    return QR_PREFIX + code


def new_event_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(EVENT_CODE_LENGTH))
