"""Card codes: random, readable, checked, and refused when mistyped or foreign."""

import math

import pytest

from kiosk.codes import (
    ALPHABET,
    CARD_LENGTH,
    CARD_RANDOM_LENGTH,
    QR_PREFIX,
    card_qr_payload,
    check_character,
    display_card_code,
    is_valid_card_code,
    looks_foreign,
    new_card_code,
    parse_card_code,
)

SAMPLE = [new_card_code() for _ in range(200)]


def test_alphabet_has_no_look_alikes():
    for confusable in "01OIL":
        assert confusable not in ALPHABET
    assert len(set(ALPHABET)) == len(ALPHABET) == 31


def test_a_new_code_carries_at_least_40_random_bits():
    assert CARD_RANDOM_LENGTH * math.log2(len(ALPHABET)) >= 40


@pytest.mark.parametrize("code", SAMPLE[:20])
def test_a_new_code_is_valid_and_ends_with_its_check_character(code):
    assert len(code) == CARD_LENGTH
    assert set(code) <= set(ALPHABET)
    assert code[-1] == check_character(code[:-1])
    assert is_valid_card_code(code)


def test_new_codes_differ():
    assert len(set(SAMPLE)) == len(SAMPLE)


def test_every_single_character_typo_is_detected():
    """Exhaustively: every position of every sample code, replaced by every other symbol."""
    checked = 0
    for code in SAMPLE:
        for position in range(CARD_LENGTH):
            for symbol in ALPHABET:
                if symbol == code[position]:
                    continue
                typo = code[:position] + symbol + code[position + 1:]
                assert not is_valid_card_code(typo), (code, typo)
                checked += 1
    assert checked == len(SAMPLE) * CARD_LENGTH * (len(ALPHABET) - 1)


def test_a_look_alike_typed_instead_of_a_symbol_is_refused():
    code = SAMPLE[0]
    for wrong in "0O1IL":
        assert parse_card_code(wrong + code[1:]) is None


def test_a_missing_or_extra_character_is_refused():
    code = SAMPLE[0]
    assert parse_card_code(code[:-1]) is None
    assert parse_card_code(code + "A") is None


def test_swapping_two_neighbours_is_detected():
    for code in SAMPLE[:50]:
        for i in range(CARD_LENGTH - 1):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
                assert not is_valid_card_code(swapped)


def test_the_qr_holds_our_prefix_and_the_code_only():
    code = SAMPLE[1]
    assert card_qr_payload(code) == QR_PREFIX + code
    assert parse_card_code(card_qr_payload(code)) == code


@pytest.mark.parametrize("typed", ["{g}", "{g_lower}", " {g} ", "{spaced}"])
def test_grouped_lower_case_or_spaced_codes_are_read(typed):
    code = SAMPLE[2]
    text = typed.format(g=display_card_code(code), g_lower=display_card_code(code).lower(),
                        spaced=" ".join(code))
    assert parse_card_code(text) == code


@pytest.mark.parametrize("raw", ["https://example.org/card/123", "WIFI:S:stand;T:WPA;P:secret;;",
                                 "OTHER1:ABCDEFGHJK", "4006381333931"])
def test_a_foreign_qr_is_told_apart_from_a_typo(raw):
    assert parse_card_code(raw) is None
    assert looks_foreign(raw) or len(raw) != CARD_LENGTH


def test_our_prefix_is_never_foreign():
    assert not looks_foreign(QR_PREFIX + "ABC")
    assert not looks_foreign(SAMPLE[3][:-1] + "2")
