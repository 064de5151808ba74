"""Access codes: 40 random bits, no look-alike characters, typed any way a person would."""

from __future__ import annotations

import math

import pytest

from medvirk.surveys import codes

SECRET = b"test-secret"


def test_a_code_has_at_least_39_bits():
    assert math.log2(len(codes.ALPHABET)) * codes.LENGTH >= 39


@pytest.mark.parametrize(("one", "other"), [("0", "O"), ("1", "I"), ("1", "L"), ("V", "U")])
def test_the_alphabet_holds_no_pair_of_look_alikes(one, other):
    assert not (one in codes.ALPHABET and other in codes.ALPHABET)


def test_the_same_seed_gives_the_same_code():
    seed = codes.new_seed()

    assert codes.derive(seed, secret=SECRET) == codes.derive(seed, secret=SECRET)


def test_another_secret_gives_another_code():
    seed = codes.new_seed()

    assert codes.derive(seed, secret=SECRET) != codes.derive(seed, secret=b"other")


def test_a_derived_code_is_eight_characters_of_the_alphabet():
    code = codes.derive(codes.new_seed(), secret=SECRET)

    assert len(code) == 8
    assert set(code) <= set(codes.ALPHABET)


def test_codes_are_printed_with_a_dash_in_the_middle():
    assert codes.display("ABCDEFGH") == "ABCD-EFGH"


@pytest.mark.parametrize(
    "typed", ["ABCD-EFGH", "abcd-efgh", "abcdefgh", "ABCD EFGH", " abcd - efgh ", "AbCd–EfGh"]
)
def test_case_dash_and_spaces_do_not_matter(typed):
    assert codes.normalise(typed) == "ABCDEFGH"


def test_letters_that_look_like_digits_are_read_as_the_digits():
    assert codes.normalise("OIL2-3456") == "0112-3456".replace("-", "")


@pytest.mark.parametrize("typed", ["", "ABC", "ABCD-EFGHJ", "ABCD-EFG!", "ÆØÅA-BCDE", "ABCD-EFGU"])
def test_what_cannot_be_a_code_is_refused(typed):
    assert codes.normalise(typed) is None


def test_the_lookup_hash_depends_on_the_secret():
    assert codes.lookup_hash("ABCDEFGH", secret=SECRET) != codes.lookup_hash(
        "ABCDEFGH", secret=b"other"
    )


def test_the_lookup_hash_does_not_contain_the_code():
    assert "ABCDEFGH" not in codes.lookup_hash("ABCDEFGH", secret=SECRET).upper()
