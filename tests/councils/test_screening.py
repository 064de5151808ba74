"""Spotting agenda items that may be about one person (screening.py, no Django)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medvirk.councils import screening


def kinds(text: str) -> list[str]:
    return [flag.kind for flag in screening.find(text)]


def test_a_general_item_is_not_flagged():
    assert kinds("Aktivitetstilbud på ettermiddag og kveld for alle beboere") == []


def test_a_relative_of_the_writer_is_flagged():
    assert kinds("Min mor får ikke hjelp til å spise") == ["relative"]


def test_a_relative_after_the_noun_is_flagged():
    assert kinds("Faren min har ventet lenge") == ["relative"]


def test_one_resident_by_room_is_flagged():
    assert "resident" in kinds("Beboer på rom 12 trenger mer tilsyn")


def test_the_patient_is_flagged():
    assert kinds("Pasienten ble sendt hjem for tidlig") == ["resident"]


def test_a_decision_on_someones_services_is_flagged():
    assert "decision" in kinds("Søknaden om plass innvilges")


def test_a_national_identity_number_with_valid_check_digits_is_flagged():
    assert kinds("Gjelder 01010112345 i november") == []  # wrong check digits
    assert kinds("Gjelder 13097248022 i november") == ["identity_number"]


def test_a_phone_number_is_flagged():
    assert kinds("Ring 912 34 567 for mer") == ["phone"]


def test_a_name_alone_is_not_flagged():
    assert kinds("Kari Nordmann orienterer om budsjettet") == []


def test_a_name_with_a_case_is_flagged():
    assert kinds("Kari Nordmann har klaget på maten") == ["name"]


def test_sentence_starts_are_not_taken_for_names():
    assert kinds("Etter Klagen kom det mer") == []


def test_a_flag_points_at_what_it_found():
    text = "Vi drøftet at min mor ble glemt"
    (flag,) = screening.find(text)

    assert screening.fragment(text, flag.start, flag.end) == "min mor"


def test_screen_says_which_field_a_flag_is_in():
    found = screening.screen({"title": "Budsjett", "description": "Pasienten klaget"})

    assert [(f["field"], f["kind"]) for f in found] == [("description", "resident")]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå ,.", max_size=200))
def test_lowercase_prose_without_case_words_is_never_flagged_as_a_name(text):
    assert "name" not in kinds(text)
