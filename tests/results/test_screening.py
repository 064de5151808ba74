"""Personal data found in comments: identity numbers by their check digits, phones, e-mail
addresses and recipients' names."""

from __future__ import annotations

import pytest

from medvirk.results import screening

# Synthetic numbers with valid check digits (not real people's).
VALID_IDENTITY = "01019000083"


def kinds(text: str, names: list[str] | None = None) -> list[str]:
    pattern = screening.names_pattern(names) if names else None
    return [flag.kind for flag in screening.find(text, pattern)]


def test_an_identity_number_with_valid_check_digits_is_found():
    assert screening.valid_identity_number(VALID_IDENTITY)
    assert kinds(f"Mitt nummer er {VALID_IDENTITY}.") == ["identity_number"]


def test_an_identity_number_with_a_space_after_the_birth_date_is_found():
    assert kinds(f"Nummer {VALID_IDENTITY[:6]} {VALID_IDENTITY[6:]}") == ["identity_number"]


def test_eleven_digits_with_wrong_check_digits_are_not_an_identity_number():
    wrong = VALID_IDENTITY[:-1] + str((int(VALID_IDENTITY[-1]) + 1) % 10)

    assert not screening.valid_identity_number(wrong)
    assert "identity_number" not in kinds(f"Kode {wrong}")


@pytest.mark.parametrize("phone", ["912 34 567", "91234567", "+47 912 34 567", "32 04 01 00"])
def test_a_norwegian_phone_number_is_found(phone):
    assert kinds(f"Ring {phone} i morgen") == ["phone"]


def test_a_year_or_a_short_number_is_no_phone():
    assert kinds("I 2025 var det 23 utsagn og 5 svar.") == []


def test_an_email_address_is_found():
    assert kinds("Skriv til ola.hansen@example.no takk") == ["email"]


def test_a_recipients_full_name_is_found_in_any_case():
    assert kinds("Jeg snakket med KARI NORDMANN i går", ["Kari Nordmann"]) == ["name"]


def test_a_recipients_first_and_last_name_are_found_without_the_middle_name():
    assert kinds("Takk til Kari Nordmann!", ["Kari Anne Nordmann"]) == ["name"]


def test_a_first_name_alone_is_not_flagged():
    assert kinds("Kari var snill", ["Kari Nordmann"]) == []


def test_a_name_inside_another_word_is_not_flagged():
    assert kinds("Per Olsenbakken kom", ["Per Olsen"]) == []


def test_the_flags_point_at_the_data_and_hold_none_of_it():
    text = "Ring 912 34 567"
    (flag,) = screening.find(text)

    assert text[flag.start : flag.end] == "912 34 567"
    assert set(flag.as_json()) == {"kind", "start", "end"}


def test_redacting_replaces_each_flagged_place():
    text = f"Ring 912 34 567 eller skriv ola@example.no, {VALID_IDENTITY}"

    assert screening.redact(text, screening.find(text)) == (
        "Ring [fjernet] eller skriv [fjernet], [fjernet]"
    )
