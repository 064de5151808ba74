"""The letter text format: what is refused (with its line), how a body becomes blocks, and how
placeholders are filled in. Pure Python: no database."""

from __future__ import annotations

from medvirk.letters.text import Block, Problem, blocks, fill, problems

GOOD = "Kjære {navn}\n\n{qr}\n\nHilsen {kommune}"


# --- problems --------------------------------------------------------------------------


def test_a_body_with_known_placeholders_and_the_code_box_has_no_problems():
    assert problems(GOOD) == []


def test_an_unknown_placeholder_is_named_with_its_line():
    body = "Kjære {navn}\nDu bor i {bydel}.\n{qr}"

    assert problems(body) == [Problem("unknown_placeholder", {"name": "bydel", "line": 2})]


def test_each_unknown_placeholder_on_a_line_is_named():
    body = "{qr}\nHei {fornavn} {etternavn}"

    assert problems(body) == [
        Problem("unknown_placeholder", {"name": "fornavn", "line": 2}),
        Problem("unknown_placeholder", {"name": "etternavn", "line": 2}),
    ]


def test_placeholder_names_are_case_sensitive():
    assert problems("Kjære {Navn}\n{qr}") == [
        Problem("unknown_placeholder", {"name": "Navn", "line": 1})
    ]


def test_an_opening_brace_without_its_end_is_a_stray_brace():
    assert problems("{qr}\n\nKjære {navn") == [Problem("stray_brace", {"line": 3})]


def test_a_closing_brace_without_its_start_is_a_stray_brace():
    assert problems("Kjære navn}\n{qr}") == [Problem("stray_brace", {"line": 1})]


def test_nested_braces_are_a_stray_brace():
    assert problems("{qr}\nHei {{navn}}") == [Problem("stray_brace", {"line": 2})]


def test_the_code_box_inside_a_sentence_is_refused_with_its_line():
    body = "Kjære {navn}\nSkann {qr} med telefonen."

    assert problems(body) == [Problem("qr_not_alone", {"line": 2}), Problem("qr_missing")]


def test_the_code_box_beside_another_placeholder_is_not_alone():
    assert problems("{qr} {kode}") == [Problem("qr_not_alone", {"line": 1}), Problem("qr_missing")]


def test_the_code_box_may_be_indented_on_its_own_line():
    assert problems("Hei\n   {qr}  \nHilsen") == []


def test_a_body_without_the_code_box_is_refused():
    assert problems("Kjære {navn}\n\nHilsen {kommune}") == [Problem("qr_missing")]


def test_a_line_of_text_needs_no_code_box():
    assert problems("Invitasjon fra {kommune}", require_qr=False) == []


def test_the_code_box_is_refused_in_a_line_of_text_that_needs_none():
    assert problems("Tittel {qr} her", require_qr=False) == [Problem("qr_not_alone", {"line": 1})]


def test_an_empty_body_is_refused_as_empty_only():
    assert problems("") == [Problem("empty")]


def test_a_body_of_blanks_is_refused_as_empty():
    assert problems("  \n\t\n ") == [Problem("empty")]


def test_problems_on_several_lines_come_in_line_order():
    body = "Hei {x}\n{qr}\nHilsen }\nFra {y}"

    assert problems(body) == [
        Problem("unknown_placeholder", {"name": "x", "line": 1}),
        Problem("stray_brace", {"line": 3}),
        Problem("unknown_placeholder", {"name": "y", "line": 4}),
    ]


def test_lines_are_counted_in_text_pasted_with_windows_line_ends():
    assert problems("Hei\r\n\r\n{qr}\r\nDu {bor}") == [
        Problem("unknown_placeholder", {"name": "bor", "line": 4})
    ]


def test_markup_characters_of_the_typesetter_are_plain_text():
    assert problems("# Overskrift *fet* _kursiv_ $x$ [lenke] <tag> @ref \\\n{qr}") == []


# --- blocks ----------------------------------------------------------------------------


def test_a_blank_line_starts_a_new_paragraph():
    assert blocks("Første avsnitt.\n\nAndre avsnitt.", {}) == [
        Block("paragraph", ("Første avsnitt.",)),
        Block("paragraph", ("Andre avsnitt.",)),
    ]


def test_lines_of_one_paragraph_are_kept_as_its_lines():
    assert blocks("Linje én\nLinje to", {}) == [Block("paragraph", ("Linje én", "Linje to"))]


def test_lines_starting_with_a_dash_make_one_list():
    assert blocks("For å svare:\n- gå inn på nettet, eller\n- skann koden.", {}) == [
        Block("paragraph", ("For å svare:",)),
        Block("list", ("gå inn på nettet, eller", "skann koden.")),
    ]


def test_text_after_a_list_starts_a_new_paragraph():
    assert blocks("- punkt\nEtterpå", {}) == [
        Block("list", ("punkt",)),
        Block("paragraph", ("Etterpå",)),
    ]


def test_a_dash_without_a_space_is_part_of_the_text():
    assert blocks("-5 grader", {}) == [Block("paragraph", ("-5 grader",))]


def test_the_code_box_is_a_block_of_its_own_between_paragraphs():
    assert blocks("Før\n{qr}\nEtter", {}) == [
        Block("paragraph", ("Før",)),
        Block("qr"),
        Block("paragraph", ("Etter",)),
    ]


def test_the_code_box_ends_a_list():
    assert blocks("- punkt\n{qr}", {}) == [Block("list", ("punkt",)), Block("qr")]


def test_several_blank_lines_make_no_empty_paragraphs():
    assert blocks("\n\nEn\n\n\n\nTo\n\n", {}) == [
        Block("paragraph", ("En",)),
        Block("paragraph", ("To",)),
    ]


def test_placeholders_are_filled_in_paragraphs_and_list_items():
    values = {"navn": "Åse Ødegård", "nettadresse": "alpha.test/svar"}

    assert blocks("Kjære {navn}\n\n- Gå inn på {nettadresse}", values) == [
        Block("paragraph", ("Kjære Åse Ødegård",)),
        Block("list", ("Gå inn på alpha.test/svar",)),
    ]


def test_an_empty_body_has_no_blocks():
    assert blocks("", {}) == []


# --- fill ------------------------------------------------------------------------------


def test_fill_replaces_every_occurrence_of_a_placeholder():
    assert fill("{navn}, ja, {navn}", {"navn": "Kari"}) == "Kari, ja, Kari"


def test_fill_leaves_unknown_placeholders_as_they_are():
    assert fill("Hei {navn} i {bydel}", {"navn": "Kari"}) == "Hei Kari i {bydel}"


def test_fill_does_not_fill_in_placeholders_inside_a_value():
    assert fill("Hei {navn}", {"navn": "{kode}", "kode": "4K7M-Q2XD"}) == "Hei {kode}"


def test_fill_keeps_braces_and_markup_in_values_as_they_are():
    assert fill("{navn}", {"navn": "#set *x* $y$"}) == "#set *x* $y$"


def test_fill_with_an_empty_value_removes_the_placeholder():
    assert fill("Ring {telefon}.", {"telefon": ""}) == "Ring ."
