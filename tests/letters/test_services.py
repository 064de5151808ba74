"""Letters' services: saving texts, printing a round's letters, and reissuing a lost one.

Messages are compared in English (their source text), with English active, since the
translations may lag behind. Letters are read from the PDFs the services write.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from medvirk.letters import composing, render, selectors, services
from medvirk.letters.models import LetterKind, LetterText
from medvirk.organisation.models import AuditEntry
from medvirk.surveys import codes
from medvirk.surveys import services as surveys
from medvirk.surveys.models import Audience, Recipient, Round, RoundUnit

from ..surveys.conftest import Survey, import_people, make_round
from .conftest import (
    SIGNATORY,
    Printed,
    PrintLetters,
    answer_all,
    code_forms,
    codes_in,
    enter_code,
    found_in,
    in_window,
    page_texts,
    pictures,
    qr_codes_in,
    qr_texts,
    reader,
    runs,
    save_bokmal_texts,
    save_text,
    stored_everywhere,
    window_lines,
)

OSLO = ZoneInfo("Europe/Oslo")
INVITATION, REMINDER = LetterKind.INVITATION, LetterKind.REMINDER
USERS, RELATIVES = Audience.USERS, Audience.RELATIVES
# The survey fixture's people, by postal code (and name, within one postal code).
BY_POSTAL_CODE = ["Kari Hjemme", "Per Pårørende"]
IN_3045 = {"Ola Nordmann", "Åse Ødegård"}


def refusal(exc: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return exc.value.message_dict[field]


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.split())


def page_of(printed: Printed, name: str) -> str:
    """The text of ``name``'s letter in the printed files."""
    (text,) = [text for text in printed.pages() if name in text.splitlines()]
    return flat(text)


def names_in_order(printed: Printed) -> list[str]:
    return [window_lines(page)[0] for path in printed.written for page in reader(path).pages]


def postal_codes_in_order(printed: Printed) -> list[str]:
    return [window_lines(page)[-1][:4] for path in printed.written for page in reader(path).pages]


def add_recipient(round_: Round, survey_unit, **fields: str) -> Recipient:
    """A recipient written straight to the table (e.g. with an address an import refuses)."""
    values = {
        "name": "Ina Adresseløs",
        "street_address": "Storgata 1",
        "postal_code": "3040",
        "place": "Drammen",
        **fields,
    }
    recipient = Recipient(unit=survey_unit, **values)
    surveys.recipients_create(round_=round_, recipients=[recipient])
    return recipient


def answer_page(client: Client, code: str) -> tuple[int, str]:
    response = enter_code(client, code)
    return response.status_code, response.get("Location", "")


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def logo(world, settings, tmp_path) -> None:
    """Municipality A has a logo (a PNG, 2:1), as uploaded in its settings."""
    settings.MEDIA_ROOT = tmp_path / "media"
    image = io.BytesIO()
    Image.new("RGB", (120, 60), "navy").save(image, "PNG")
    world.alpha.logo.save("logo.png", ContentFile(image.getvalue()))


# --- texts -----------------------------------------------------------------------------


def test_without_a_saved_text_bokmal_has_the_standard_text(survey: Survey):
    wording = selectors.text_for(survey.round, kind=INVITATION, audience=USERS, language="nb")

    assert wording is not None
    assert wording.pk is None
    assert wording.title.startswith("Invitasjon til brukerundersøkelse")
    assert "{qr}" in wording.body


def test_without_a_saved_text_another_language_has_none(survey: Survey):
    assert selectors.text_for(survey.round, kind=INVITATION, audience=USERS, language="nn") is None


def test_a_saved_text_is_the_one_used(survey: Survey):
    save_text(survey.round, kind=INVITATION, audience=USERS, title="Vi vil høre fra deg")

    wording = selectors.text_for(survey.round, kind=INVITATION, audience=USERS, language="nb")

    assert wording is not None
    assert wording.title == "Vi vil høre fra deg"


def test_saving_stores_the_text_with_who_changed_it(world, survey: Survey):
    adviser = world.people["adviser"]

    save_text(survey.round, kind=INVITATION, audience=USERS, actor=adviser)

    saved = LetterText.objects.get(round=survey.round)
    assert (saved.kind, saved.audience, saved.language) == (INVITATION, USERS, "nb")
    assert (saved.signature_name, saved.updated_by) == ("Eva Milde", adviser)


def test_saving_is_audited_with_who_and_what(world, survey: Survey):
    adviser = world.people["adviser"]

    save_text(survey.round, kind=INVITATION, audience=USERS, actor=adviser)

    entry = AuditEntry.objects.get(action="letters.text")
    assert (entry.actor, entry.target_id) == (adviser, str(survey.round.pk))
    assert entry.changes["invitation/users/nb/signature_name"] == [None, "Eva Milde"]


def test_saving_again_changes_the_same_text_and_audits_only_the_change(survey: Survey):
    save_text(survey.round, kind=INVITATION, audience=USERS)

    save_text(survey.round, kind=INVITATION, audience=USERS, signature_name="Ole Brumm")

    assert LetterText.objects.get(round=survey.round).signature_name == "Ole Brumm"
    last = AuditEntry.objects.filter(action="letters.text").order_by("pk").last()
    assert last is not None
    assert last.changes == {"invitation/users/nb/signature_name": ["Eva Milde", "Ole Brumm"]}


def test_an_unknown_placeholder_is_refused_naming_it_and_its_line(survey: Survey):
    with pytest.raises(ValidationError) as exc:
        save_text(survey.round, kind=INVITATION, audience=USERS, body="Kjære {fornavn}\n{qr}")

    assert refusal(exc, "body") == [
        "Line 1 has {fornavn}, which is not a placeholder. Use one of those listed."
    ]


def test_an_unknown_placeholder_in_the_heading_is_refused_naming_it(survey: Survey):
    with pytest.raises(ValidationError) as exc:
        save_text(survey.round, kind=INVITATION, audience=USERS, title="Til {bydel}")

    assert refusal(exc, "title") == [
        "Line 1 has {bydel}, which is not a placeholder. Use one of those listed."
    ]


def test_a_body_without_the_code_box_is_refused(survey: Survey):
    with pytest.raises(ValidationError) as exc:
        save_text(survey.round, kind=INVITATION, audience=USERS, body="Kjære {navn}")

    assert refusal(exc, "body") == ["The letter must show the code: put {qr} on a line of its own."]


def test_a_stray_brace_is_refused_with_its_line(survey: Survey):
    with pytest.raises(ValidationError) as exc:
        save_text(survey.round, kind=INVITATION, audience=USERS, body="Hei\n{qr}\nRing {telefon")

    assert refusal(exc, "body") == [
        "Line 3 has a brace that starts or ends no placeholder. Remove it, or write the "
        "placeholder whole, like {navn}."
    ]


def long_body(paragraphs: int) -> str:
    return "{qr}\n\n" + "\n\n".join(["Dette er et langt avsnitt om tjenestene. " * 8] * paragraphs)


def test_a_text_that_overflows_both_sides_of_the_sheet_is_refused(survey: Survey):
    with pytest.raises(ValidationError) as exc:
        save_text(survey.round, kind=INVITATION, audience=USERS, body=long_body(40))

    (message,) = refusal(exc, "body")
    assert message.startswith("The letter needs ")
    assert message.endswith(
        " pages, and it must fit on both sides of one sheet (two pages). Shorten the text."
    )


def test_a_text_that_needs_the_back_of_the_sheet_is_saved_as_two_pages(survey: Survey):
    saved = save_text(survey.round, kind=INVITATION, audience=USERS, body=long_body(12))

    assert LetterText.objects.get(pk=saved.pk).pages == 2


def test_the_standard_text_is_saved_as_one_page(survey: Survey):
    saved = save_text(survey.round, kind=INVITATION, audience=USERS)

    assert LetterText.objects.get(pk=saved.pk).pages == 1


def test_a_refused_text_is_not_saved_nor_audited(survey: Survey):
    with pytest.raises(ValidationError):
        save_text(survey.round, kind=INVITATION, audience=USERS, body="Kjære {fornavn}\n{qr}")

    assert not LetterText.objects.exists()
    assert not AuditEntry.objects.filter(action="letters.text").exists()


def test_a_text_without_a_signatory_is_refused(survey: Survey):
    with pytest.raises(ValidationError) as exc:
        save_text(survey.round, kind=INVITATION, audience=USERS, signature_name="  ")

    assert "signature_name" in exc.value.message_dict
    assert not LetterText.objects.exists()


def test_texts_of_a_closed_round_cannot_change(survey: Survey):
    surveys.round_close(actor=None, round_=survey.round)

    with pytest.raises(ValidationError) as exc:
        save_text(survey.round, kind=INVITATION, audience=USERS)

    assert exc.value.messages == ["The round is closed; its letters cannot change."]


def test_a_language_can_be_removed_and_the_removal_is_audited(world, survey: Survey):
    nynorsk = save_text(survey.round, kind=INVITATION, audience=USERS, language="nn")

    services.letter_text_delete(actor=world.people["adviser"], letter=nynorsk)

    assert not LetterText.objects.filter(language="nn").exists()
    entry = AuditEntry.objects.get(action="letters.text_delete")
    assert entry.actor == world.people["adviser"]


def test_bokmal_cannot_be_removed(survey: Survey):
    bokmal = save_text(survey.round, kind=INVITATION, audience=USERS)

    with pytest.raises(ValidationError):
        services.letter_text_delete(actor=None, letter=bokmal)

    assert LetterText.objects.filter(pk=bokmal.pk).exists()


# --- what a round needs before printing ------------------------------------------------


def test_a_ready_round_misses_nothing(printable: Survey):
    assert services.print_missing(printable.round, kind=INVITATION) == []


def test_a_round_without_recipients_says_so(world, questionnaires):
    round_ = make_round(world, questionnaires)
    save_bokmal_texts(round_)

    assert services.print_missing(round_, kind=INVITATION) == [
        "The round has no recipients. Import the recipient list first."
    ]


def test_a_unit_without_a_contact_person_is_named(world, printable: Survey):
    RoundUnit.objects.filter(round=printable.round, unit=world.sibling).update(contact_phone="")

    assert services.print_missing(printable.round, kind=INVITATION) == [
        "These units have no contact person with phone and hours: Nord hjemmetjeneste."
    ]


def test_a_unit_without_a_contact_person_does_not_stop_printing_other_units(
    world, printable: Survey
):
    RoundUnit.objects.filter(round=printable.round, unit=world.sibling).update(contact_name="")

    assert services.print_missing(printable.round, kind=INVITATION, unit_ids=[world.unit.pk]) == []


def test_a_round_without_saved_bokmal_texts_asks_for_them_per_audience(survey: Survey):
    assert services.print_missing(survey.round, kind=INVITATION) == [
        "Read through the bokmål text of the invitation to users and save it: it must say "
        "who signs the letters.",
        "Read through the bokmål text of the invitation to relatives and save it: it must say "
        "who signs the letters.",
    ]


def test_saved_invitations_do_not_make_reminders_ready(survey: Survey):
    save_text(survey.round, kind=INVITATION, audience=USERS)
    save_text(survey.round, kind=INVITATION, audience=RELATIVES)

    assert len(services.print_missing(survey.round, kind=REMINDER)) == 2
    assert services.print_missing(survey.round, kind=INVITATION) == []


def test_a_round_without_a_web_address_says_so(world, printable: Survey, settings):
    settings.MEDVIRK_PUBLIC_HOST = ""
    world.alpha.host = ""
    world.alpha.save()
    round_ = Round.objects.get(pk=printable.round.pk)

    assert services.print_missing(round_, kind=INVITATION) == [
        "The letters would print no web address to answer at. Set the municipality's web "
        "address in its settings."
    ]


def test_a_closed_round_has_nobody_to_write_to(printable: Survey):
    surveys.round_close(actor=None, round_=printable.round)

    assert services.print_missing(printable.round, kind=INVITATION) == [
        "The round is closed; there is nobody left to write to."
    ]


def test_reminders_after_everybody_answered_have_nobody_to_remind(printable: Survey):
    for name in printable.codes:
        answer_all(Client(HTTP_HOST="alpha.test"), printable, name)

    assert services.print_missing(printable.round, kind=REMINDER) == [
        "Everybody has answered: there is nobody to remind."
    ]


def test_printing_a_round_that_is_not_ready_is_refused_and_writes_nothing(
    survey: Survey, print_letters: PrintLetters, tmp_path
):
    with pytest.raises(ValidationError) as exc:
        print_letters(survey.round)

    assert len(exc.value.messages) == 2
    assert list(tmp_path.rglob("*.pdf")) == []


def test_a_batch_of_no_letters_is_refused(printable: Survey, print_letters: PrintLetters):
    with pytest.raises(ValidationError):
        print_letters(printable.round, batch_size=0)


# --- the letters -----------------------------------------------------------------------


def test_every_recipient_gets_one_page(printed: Printed):
    assert printed.report.letters == 4
    assert printed.report.files == [("b1.pdf", 4)]
    assert len(reader(printed.pdf).pages) == 4


def test_letters_are_sorted_by_postal_code(printed: Printed):
    assert postal_codes_in_order(printed) == ["3015", "3044", "3045", "3045"]
    assert names_in_order(printed)[:2] == BY_POSTAL_CODE
    assert set(names_in_order(printed)[2:]) == IN_3045


def test_each_page_shows_one_recipient_through_the_window_and_nothing_else(
    printable: Survey, printed: Printed
):
    people = {r.name: r for r in Recipient.objects.filter(round=printable.round)}

    shown = [window_lines(page) for page in reader(printed.pdf).pages]

    assert shown == [
        [name, people[name].street_address, f"{people[name].postal_code} DRAMMEN"]
        for name in names_in_order(printed)
    ]


def test_no_address_is_printed_outside_the_window(printable: Survey, printed: Printed):
    people = Recipient.objects.filter(round=printable.round)
    address_lines = {r.name for r in people} | {r.street_address for r in people}

    outside = " | ".join(
        run.text for page in reader(printed.pdf).pages for run in runs(page) if not in_window(run)
    )

    assert [line for line in address_lines if line in outside] == []


def test_each_letter_carries_its_recipients_code(printable: Survey, printed: Printed):
    printed_codes = dict(zip(names_in_order(printed), codes_in(printed.pdf), strict=True))

    assert printed_codes == printable.codes


def test_every_printed_code_opens_the_survey(printed: Printed):
    answers = [answer_page(Client(HTTP_HOST="alpha.test"), code) for code in codes_in(printed.pdf)]

    assert answers == [(302, reverse("answer:start"))] * 4


def test_each_printed_qr_code_opens_the_answer_page_with_that_letters_code(
    printable: Survey, printed: Printed
):
    scanned = dict(zip(names_in_order(printed), qr_codes_in(printed.pdf), strict=True))

    assert scanned == {
        name: [f"https://alpha.test/svar/?kode={code}"] for name, code in printable.codes.items()
    }


def test_the_qr_code_of_a_letter_opens_the_answer_page_with_its_code(printable: Survey):
    recipient, letter = next(services.letters_for(printable.round, kind=INVITATION))

    (image,) = render.render_png(letter, letterhead=composing.letterhead(printable.round), ppi=150)

    assert qr_texts(image) == [f"https://alpha.test/svar/?kode={printable.codes[recipient.name]}"]


def test_the_letter_says_where_to_answer_and_whom_to_call(printed: Printed):
    text = page_of(printed, "Åse Ødegård")

    assert "Gå inn på alpha.test/svar og tast inn koden nedenfor" in text
    assert "ta kontakt med Kari Nordmann på telefon 32 04 01 00" in text
    assert "Kari Nordmann er tilgjengelig 08.00–16.00." in text


def test_the_letter_gives_the_first_and_last_day_to_answer(
    printable: Survey, print_letters: PrintLetters
):
    Round.objects.filter(pk=printable.round.pk).update(
        opens_at=datetime(2030, 10, 17, 8, 0, tzinfo=OSLO),
        closes_at=datetime(2030, 11, 5, 0, 0, tzinfo=OSLO),
    )

    text = page_of(print_letters(Round.objects.get(pk=printable.round.pk)), "Åse Ødegård")

    assert "fra torsdag 17. oktober 2030 til mandag 4. november 2030." in text


def test_the_letter_names_the_municipality_and_the_signatory(printed: Printed):
    text = page_of(printed, "Åse Ødegård")

    assert text.startswith("Alfa kommune")
    # The recipient's own part (address, code) is laid over the shared text, so a text
    # extractor reads it after the signature.
    assert "Med vennlig hilsen Eva Milde helse- og sosialdirektør" in text


def test_a_relative_gets_the_relatives_letter(printed: Printed):
    text = page_of(printed, "Per Pårørende")

    assert "Invitasjon til pårørendeundersøkelse" in text
    assert "Du får dette brevet fordi du er pårørende" in text


def test_a_bokmal_letter_has_no_english_in_its_code_box(printed: Printed):
    text = page_of(printed, "Åse Ødegård")

    assert "Your personal code" not in text
    assert "Answer at" not in text


def test_a_nynorsk_recipient_gets_the_nynorsk_letter_when_there_is_one(
    printable: Survey, print_letters: PrintLetters
):
    save_text(printable.round, kind=INVITATION, audience=USERS, language="nn")

    printed = print_letters(printable.round)

    assert "Invitasjon til brukarundersøking" in page_of(printed, "Kari Hjemme")
    assert "Invitasjon til brukerundersøkelse" in page_of(printed, "Åse Ødegård")


def test_a_nynorsk_recipient_gets_bokmal_without_a_nynorsk_letter(printed: Printed):
    assert "Invitasjon til brukerundersøkelse" in page_of(printed, "Kari Hjemme")


def test_an_english_letter_goes_only_to_those_who_prefer_english(
    printable: Survey, print_letters: PrintLetters
):
    save_text(printable.round, kind=INVITATION, audience=USERS, language="en")

    printed = print_letters(printable.round)

    assert "Invitation to a user survey" in page_of(printed, "Ola Nordmann")
    assert "Invitation to a user survey" not in page_of(printed, "Kari Hjemme")


def test_a_removed_language_gives_its_recipients_bokmal_again(
    printable: Survey, print_letters: PrintLetters
):
    nynorsk = save_text(printable.round, kind=INVITATION, audience=USERS, language="nn")
    services.letter_text_delete(actor=None, letter=nynorsk)

    printed = print_letters(printable.round)

    assert "Invitasjon til brukerundersøkelse" in page_of(printed, "Kari Hjemme")


def test_placeholders_in_a_saved_text_are_filled_in_per_recipient(
    printable: Survey, print_letters: PrintLetters
):
    body = "Kjære {navn} i {adresse}, {postnummer} {poststed}.\n\n{qr}\n\nFra {virksomhet}."
    save_text(printable.round, kind=INVITATION, audience=USERS, body=body)

    text = page_of(print_letters(printable.round), "Kari Hjemme")

    assert "Kjære Kari Hjemme i Engene 5, 3015 Drammen." in text
    assert "Fra Nord hjemmetjeneste." in text


def test_the_code_placeholder_prints_the_recipients_code(
    printable: Survey, print_letters: PrintLetters
):
    body = "Koden din er {kode}.\n\n{qr}"
    save_text(printable.round, kind=INVITATION, audience=USERS, body=body)

    text = page_of(print_letters(printable.round), "Kari Hjemme")

    assert f"Koden din er {printable.codes['Kari Hjemme']}." in text


def test_a_logo_uploaded_after_the_texts_were_saved_keeps_each_letter_on_one_page(
    printable: Survey, logo, print_letters: PrintLetters
):
    printed = print_letters(Round.objects.get(pk=printable.round.pk))

    assert [
        [image.size for image in page if image.size == (120, 60)] for page in pictures(printed.pdf)
    ] == [[(120, 60)]] * 4


def test_the_standard_text_can_be_saved_when_the_municipality_has_a_logo(logo, survey: Survey):
    round_ = Round.objects.get(pk=survey.round.pk)

    save_text(round_, kind=INVITATION, audience=USERS)

    assert LetterText.objects.filter(round=round_).count() == 1


# --- printing --------------------------------------------------------------------------


def test_letters_that_need_two_pages_take_both_sides_of_a_sheet_each(
    printable: Survey, print_letters: PrintLetters
):
    save_text(printable.round, kind=INVITATION, audience=USERS, body=long_body(12))

    printed = print_letters(printable.round)

    pages = [page for path in printed.written for page in reader(path).pages]
    assert len(pages) == 2 * 4
    assert [window_lines(page)[0] in printable.codes for page in pages[::2]] == [True] * 4
    assert all(
        window_lines(page)[0] not in printable.codes for page in pages[1::2] if window_lines(page)
    )


def test_a_letter_that_grows_past_its_sheet_at_printing_stops_the_print(
    world, printable: Survey, print_letters: PrintLetters
):
    # Fits with the fixture's short contact hours, not with long ones set afterwards.
    body = "{qr}\n\n" + "\n".join(["Ring {telefontid}."] * 16)
    save_text(printable.round, kind=INVITATION, audience=RELATIVES, body=body)
    RoundUnit.objects.filter(round=printable.round).update(
        contact_hours="hverdager mellom klokken åtte om morgenen og fire om ettermiddagen, "
        "unntatt helligdager, romjulen og fellesferien i juli"
    )

    with pytest.raises(ValidationError) as exc:
        print_letters(printable.round)

    assert exc.value.messages == [
        "Some letters do not fit on one page once their recipient's details are filled in (a "
        "long name, unit or contact hours). Nothing was printed. Shorten the text and print "
        "again."
    ]


def test_a_batch_size_gives_numbered_files_of_that_many_letters(
    printable: Survey, print_letters: PrintLetters
):
    printed = print_letters(printable.round, batch_size=3)

    assert printed.report.files == [("b1.pdf", 3), ("b2.pdf", 1)]
    assert [len(reader(path).pages) for path in printed.written] == [3, 1]


def test_the_manifest_counts_letters_per_batch_and_postal_code(
    printable: Survey, print_letters: PrintLetters
):
    printed = print_letters(printable.round, batch_size=3)

    assert printed.report.manifest == [
        (1, "3015", 1),
        (1, "3044", 1),
        (1, "3045", 1),
        (2, "3045", 1),
    ]


def test_the_manifest_file_lists_batch_postal_code_and_count(printed: Printed):
    assert printed.report.manifest_csv() == (
        "bunke;postnummer;antall brev\n1;3015;1\n1;3044;1\n1;3045;2\n"
    )


def test_the_manifest_has_no_names_or_codes(printable: Survey, printed: Printed):
    manifest = printed.report.manifest_csv()

    people = Recipient.objects.filter(round=printable.round)
    secrets = [*printable.codes, *code_forms(printable.codes.values())]
    assert found_in(manifest, [*secrets, *(r.street_address for r in people)]) == []


def test_chosen_units_get_only_their_letters(world, printable: Survey, print_letters):
    printed = print_letters(printable.round, unit_ids=[world.sibling.pk])

    assert printed.report.letters == 1
    assert names_in_order(printed) == ["Kari Hjemme"]


def test_printing_is_audited_without_codes(world, printable: Survey, print_letters):
    print_letters(printable.round, actor=world.people["adviser"])

    entry = AuditEntry.objects.get(action="letters.print")
    assert entry.actor == world.people["adviser"]
    assert entry.changes == {
        "kind": [None, "invitation"],
        "letters": [None, 4],
        "units": [None, "all"],
    }


def test_reminders_go_only_to_those_who_have_not_answered(
    printable: Survey, print_letters: PrintLetters
):
    answer_all(Client(HTTP_HOST="alpha.test"), printable, "Åse Ødegård")

    printed = print_letters(printable.round, kind=REMINDER)

    assert printed.report.letters == 3
    assert "Åse Ødegård" not in names_in_order(printed)


def test_reminders_carry_the_same_codes_as_the_invitations(
    printable: Survey, print_letters: PrintLetters
):
    answer_all(Client(HTTP_HOST="alpha.test"), printable, "Åse Ødegård")

    printed = print_letters(printable.round, kind=REMINDER)

    reminded = dict(zip(names_in_order(printed), codes_in(printed.pdf), strict=True))
    assert reminded == {n: c for n, c in printable.codes.items() if n != "Åse Ødegård"}


def test_reminders_use_the_reminder_text(printable: Survey, print_letters: PrintLetters):
    printed = print_letters(printable.round, kind=REMINDER)

    text = page_of(printed, "Ola Nordmann")
    assert "Påminnelse om brukerundersøkelse" in text
    assert "Du kan bruke den samme koden som før." in text


def test_a_recipient_without_a_street_is_listed_not_printed(
    world, printable: Survey, print_letters: PrintLetters
):
    lost = add_recipient(printable.round, world.unit, street_address="")

    printed = print_letters(printable.round)

    assert printed.report.skipped == [lost.pk]
    assert printed.report.letters == 4
    assert "Ina Adresseløs" not in " ".join(printed.pages())


def test_a_recipient_with_a_bad_postal_code_is_listed_not_printed(
    world, printable: Survey, print_letters: PrintLetters
):
    lost = add_recipient(printable.round, world.unit, postal_code="30")

    printed = print_letters(printable.round)

    assert printed.report.skipped == [lost.pk]
    assert len(reader(printed.pdf).pages) == 4


def test_progress_ends_at_the_letters_printed_for_chosen_units(world, printable: Survey, tmp_path):
    calls: list[tuple[int, int]] = []

    services.letters_print(
        actor=None,
        round_=printable.round,
        kind=INVITATION,
        paths=lambda n: tmp_path / f"b{n}.pdf",
        unit_ids=[world.sibling.pk],
        progress=lambda done, total: calls.append((done, total)),
    )

    assert calls[-1] == (1, 1)


# --- no plain code outside the PDF -----------------------------------------------------


def test_no_plain_code_is_stored_anywhere_after_printing(printable: Survey, printed: Printed):
    stored = stored_everywhere()

    assert found_in(stored, code_forms(printable.codes.values())) == []


def test_no_plain_code_is_logged_while_printing(
    printable: Survey, print_letters: PrintLetters, caplog
):
    caplog.set_level(logging.DEBUG)

    print_letters(printable.round)

    assert found_in(caplog.text, code_forms(printable.codes.values())) == []


def test_no_plain_code_is_stored_anywhere_after_a_reissue(printable: Survey):
    recipient = printable.recipient("Åse Ødegård")
    new_codes = codes_in(services.recipient_reissue(actor=None, recipient=recipient))

    stored = stored_everywhere()

    assert len(new_codes) == 1
    assert found_in(stored, code_forms(new_codes)) == []


# --- a lost letter ---------------------------------------------------------------------


def test_a_reissued_letter_has_a_new_code(printable: Survey):
    pdf = services.recipient_reissue(actor=None, recipient=printable.recipient("Åse Ødegård"))

    (new_code,) = codes_in(pdf)
    assert new_code != printable.codes["Åse Ødegård"]
    assert new_code == codes.display(surveys.code_of(printable.recipient("Åse Ødegård")))


def test_a_reissued_letter_is_one_page_addressed_to_the_recipient(printable: Survey):
    pdf = services.recipient_reissue(actor=None, recipient=printable.recipient("Åse Ødegård"))

    pages = reader(pdf).pages
    assert len(pages) == 1
    assert window_lines(pages[0]) == [
        "Åse Ødegård",
        "Bjørnstjerne Bjørnsons gate 12",
        "3045 DRAMMEN",
    ]


def test_after_a_reissue_the_old_code_is_refused(printable: Survey, respondent: Client):
    services.recipient_reissue(actor=None, recipient=printable.recipient("Åse Ødegård"))

    assert answer_page(respondent, printable.codes["Åse Ødegård"])[0] == 400


def test_after_a_reissue_the_new_code_opens_the_survey(printable: Survey, respondent: Client):
    pdf = services.recipient_reissue(actor=None, recipient=printable.recipient("Åse Ødegård"))

    assert answer_page(respondent, codes_in(pdf)[0]) == (302, reverse("answer:start"))


def test_a_reissue_is_audited_with_who_and_in_which_unit(world, printable: Survey):
    recipient = printable.recipient("Åse Ødegård")

    services.recipient_reissue(actor=world.people["adviser"], recipient=recipient)

    entry = AuditEntry.objects.get(action="letters.reissue")
    assert entry.actor == world.people["adviser"]
    assert entry.changes == {"unit": [None, world.unit.name]}


def test_a_reissue_is_audited_without_naming_the_recipient(world, printable: Survey):
    # An entry naming the recipient, written with the new access code's row, would tie the
    # two together in any copy of the database (docs/threat-model.md).
    recipient = printable.recipient("Åse Ødegård")

    services.recipient_reissue(actor=world.people["adviser"], recipient=recipient)

    logged = repr(AuditEntry.objects.filter(action="letters.reissue").values().get())
    assert "Åse" not in logged
    assert "'recipient'" not in logged


def test_a_reminder_after_a_reissue_prints_the_new_code(
    printable: Survey, print_letters: PrintLetters
):
    pdf = services.recipient_reissue(actor=None, recipient=printable.recipient("Åse Ødegård"))

    printed = print_letters(printable.round, kind=REMINDER)

    reminded = dict(zip(names_in_order(printed), codes_in(printed.pdf), strict=True))
    assert reminded["Åse Ødegård"] == codes_in(pdf)[0]


def test_a_used_code_is_not_reissued(printable: Survey):
    answer_all(Client(HTTP_HOST="alpha.test"), printable, "Åse Ødegård")
    recipient = printable.recipient("Åse Ødegård")

    with pytest.raises(ValidationError) as exc:
        services.recipient_reissue(actor=None, recipient=recipient)

    assert exc.value.messages == ["This recipient has answered already; the code is used."]
    assert printable.code_now("Åse Ødegård") == printable.codes["Åse Ødegård"]


def test_no_letter_is_reissued_in_a_closed_round(printable: Survey):
    surveys.round_close(actor=None, round_=printable.round)
    recipient = printable.recipient("Åse Ødegård")

    with pytest.raises(ValidationError) as exc:
        services.recipient_reissue(actor=None, recipient=recipient)

    assert exc.value.messages == ["The round is closed; no new letter can be printed."]
    assert printable.code_now("Åse Ødegård") == printable.codes["Åse Ødegård"]


def test_a_recipient_with_an_incomplete_address_gets_no_blank_reissued_letter(
    world, printable: Survey
):
    lost = add_recipient(printable.round, world.unit, street_address="")
    code = surveys.code_of(lost)

    with pytest.raises(ValidationError):
        services.recipient_reissue(actor=None, recipient=lost)

    assert surveys.code_of(Recipient.objects.get(pk=lost.pk)) == code


def test_a_reissued_letter_is_signed_by_the_saved_signatory(printable: Survey):
    pdf = services.recipient_reissue(actor=None, recipient=printable.recipient("Åse Ødegård"))

    assert flat(page_texts(pdf)[0]).endswith(
        f"Med vennlig hilsen {SIGNATORY['signature_name']} {SIGNATORY['signature_title']}"
    )


def test_a_lost_letter_cannot_be_reissued_before_the_texts_are_saved(survey: Survey):
    with pytest.raises(ValidationError):
        services.recipient_reissue(actor=None, recipient=survey.recipient("Åse Ødegård"))


def test_importing_more_people_later_prints_them_too(
    world, printable: Survey, print_letters: PrintLetters
):
    import_people(printable.round, "Nils Ny;Parkveien 2;3040;Drammen;n-shj;;nb;nei")

    printed = print_letters(printable.round)

    assert printed.report.letters == 5
    assert names_in_order(printed)[0] == "Kari Hjemme"
