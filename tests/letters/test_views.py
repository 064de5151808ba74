"""The letters' staff pages as each role sees them: texts with a preview, printing in the
background, downloading once, the print shop's list and a lost letter.

Only those who run the round (its service area's quality advisers, and administrators) may
open them. Messages are read in English (the source texts), chosen with the language
cookie, since translations may lag behind.
"""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from medvirk.core import tasks
from medvirk.core.models import BackgroundTask
from medvirk.letters.models import LetterText
from medvirk.organisation.models import AuditEntry, Role
from medvirk.surveys import services as surveys
from medvirk.surveys.models import Recipient, Round

from ..factories import RoleAssignmentFactory, UserFactory
from ..surveys.conftest import Survey
from .conftest import (
    SIGNATORY,
    answer_all,
    code_forms,
    codes_in,
    enter_code,
    found_in,
    page_texts,
    save_text,
    stored_everywhere,
)

ROLES = ["admin", "adviser", "manager", "staff", "council", "politician", "nobody"]
RUNNERS = {"admin", "adviser"}


def in_english(client: Client) -> Client:
    client.cookies["medvirk_language"] = "en"
    return client


def letters_url(round_: Round) -> str:
    return reverse("letters:round", args=[round_.pk])


def text_url(
    round_: Round, kind: str = "invitation", audience: str = "users", language: str = "nb"
) -> str:
    return reverse("letters:text_edit", args=[round_.pk, kind, audience, language])


def delete_url(round_: Round, language: str) -> str:
    return reverse("letters:text_delete", args=[round_.pk, "invitation", "users", language])


def print_url(round_: Round) -> str:
    return reverse("letters:print", args=[round_.pk])


def reissue_url(round_: Round) -> str:
    return reverse("letters:reissue", args=[round_.pk])


def reissue_letter_url(round_: Round, recipient: Recipient) -> str:
    return reverse("letters:reissue_letter", args=[round_.pk, recipient.pk])


PAGES = ["letters", "text", "reissue"]


def page_url(page: str, round_: Round) -> str:
    """One of the letters' pages of a round, opened with GET."""
    urls: dict[str, Callable[[Round], str]] = {
        "letters": letters_url,
        "text": text_url,
        "reissue": reissue_url,
    }
    return urls[page](round_)


def text_form(survey: Survey, **changes: str) -> dict[str, str]:
    """The edit form as the adviser sends it: the standard text, signed; ``changes`` replace."""
    wording = LetterText.objects.filter(round=survey.round).first() or save_text(
        survey.round, kind="invitation", audience="users"
    )
    data = {
        "title": wording.title,
        "body": wording.body,
        "closing": wording.closing,
        **SIGNATORY,
        "action": "save",
    }
    data.update(changes)
    return data


def task_from(response) -> BackgroundTask:
    assert response.status_code == 302, response.status_code
    match = re.fullmatch(r"/staff/tasks/([0-9a-f-]{36})/", response["Location"])
    assert match is not None, response["Location"]
    return BackgroundTask.objects.get(pk=match.group(1))


def fetch(client: Client, url: str) -> tuple[int, str, bytes]:
    """GET a file: status, content type and the whole body. Reading a streamed body to its
    end closes the response, as a WSGI server does when the download ends (the test client
    does that itself; closing it again would close the database connection)."""
    response: Any = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, response.get("Content-Type", ""), body


def preview_image(response) -> Image.Image:
    match = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', response.text)
    assert match is not None
    return Image.open(io.BytesIO(base64.b64decode(match.group(1))))


@pytest.fixture(autouse=True)
def _letters_in_tmp(settings, tmp_path: Path) -> None:
    settings.MEDVIRK_LETTERS_DIR = tmp_path / "letters"


@pytest.fixture
def adviser(client_for) -> Client:
    return in_english(client_for("adviser"))


@pytest.fixture
def printed_task(printable: Survey, adviser: Client) -> BackgroundTask:
    """The adviser's print of every invitation of the round, done by the worker."""
    task = task_from(adviser.post(print_url(printable.round), {"kind": "invitation"}))
    tasks.run_pending()
    task.refresh_from_db()
    return task


def download_url(task: BackgroundTask) -> str:
    return reverse("letters:download", args=[task.pk])


def manifest_url(task: BackgroundTask) -> str:
    return reverse("letters:manifest", args=[task.pk])


# --- who opens what --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_letters_pages_per_role(client_for, survey: Survey, role, page):
    response = client_for(role).get(page_url(page, survey.round))

    assert response.status_code == (200 if role in RUNNERS else 403)


def test_a_manager_may_not_open_the_letters_of_a_round_of_their_own_unit(
    client_for, survey: Survey
):
    assert client_for("manager").get(letters_url(survey.round)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_an_adviser_does_not_find_the_letters_of_another_service_area(
    client_for, school_round: Round, page
):
    assert client_for("adviser").get(page_url(page, school_round)).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_an_administrator_does_not_find_the_letters_of_another_municipality(
    client_for, beta_round: Round, page
):
    assert client_for("admin").get(page_url(page, beta_round)).status_code == 404


def test_another_municipalitys_administrator_does_not_find_the_letters_on_its_own_host(
    client_for, survey: Survey
):
    response = client_for("beta_admin", host="beta.test").get(letters_url(survey.round))

    assert response.status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(anonymous, survey: Survey):
    response = anonymous.get(letters_url(survey.round))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["manager", "staff", "council", "politician", "nobody"])
def test_only_runners_may_save_a_text(client_for, survey: Survey, role):
    response = client_for(role).post(text_url(survey.round), {"title": "x", "body": "{qr}"})

    assert response.status_code == 403
    assert not LetterText.objects.exists()


@pytest.mark.parametrize("role", ["manager", "staff", "council", "politician", "nobody"])
def test_only_runners_may_print(client_for, printable: Survey, role):
    response = client_for(role).post(print_url(printable.round), {"kind": "invitation"})

    assert response.status_code == 403
    assert not BackgroundTask.objects.exists()


@pytest.mark.parametrize("role", ["manager", "staff", "council", "politician", "nobody"])
def test_only_runners_may_reissue_a_letter(client_for, printable: Survey, role):
    recipient = printable.recipient("Åse Ødegård")

    response = client_for(role).post(reissue_letter_url(printable.round, recipient))

    assert response.status_code == 403
    assert printable.code_now("Åse Ødegård") == printable.codes["Åse Ødegård"]


@pytest.mark.parametrize("role", ["manager", "staff", "council", "politician", "nobody"])
def test_only_runners_may_remove_a_language(client_for, survey: Survey, role):
    save_text(survey.round, kind="invitation", audience="users", language="nn")

    response = client_for(role).post(delete_url(survey.round, "nn"))

    assert response.status_code == 403
    assert LetterText.objects.filter(language="nn").exists()


def test_an_adviser_may_not_print_the_letters_of_another_service_area(
    client_for, school_round: Round
):
    response = client_for("adviser").post(print_url(school_round), {"kind": "invitation"})

    assert response.status_code == 404
    assert not BackgroundTask.objects.exists()


def test_a_recipient_of_another_round_is_not_found_for_a_reissue(
    client_for, printable: Survey, school_round: Round
):
    recipient = printable.recipient("Åse Ødegård")

    response = client_for("admin").post(reissue_letter_url(school_round, recipient))

    assert response.status_code == 404
    assert printable.code_now("Åse Ødegård") == printable.codes["Åse Ødegård"]


# --- the letters page ------------------------------------------------------------------


def test_the_letters_page_lists_every_text_to_edit(adviser: Client, survey: Survey):
    response = adviser.get(letters_url(survey.round))

    links = [
        f'href="{text_url(survey.round, kind, audience, language)}"'
        for kind in ["invitation", "reminder"]
        for audience in ["users", "relatives"]
        for language in ["nb", "nn", "en"]
    ]
    assert found_in(response.text, links) == links


def test_the_letters_page_says_what_is_missing_before_printing(adviser: Client, survey: Survey):
    response = adviser.get(letters_url(survey.round))

    assert "Before letters can be printed" in response.text
    assert "Read through the bokmål text of the invitation to users and save it" in response.text


def test_the_letters_page_of_a_ready_round_misses_nothing(adviser: Client, printable: Survey):
    response = adviser.get(letters_url(printable.round))

    assert "Before letters can be printed" not in response.text


# --- a letter's text -------------------------------------------------------------------


def test_the_edit_page_starts_from_the_standard_text(adviser: Client, survey: Survey):
    response = adviser.get(text_url(survey.round))

    assert response.status_code == 200
    assert "Invitasjon til brukerundersøkelse for helse, sosial og omsorg" in response.text
    assert "This is the standard text." in response.text


def test_the_nynorsk_edit_page_starts_from_the_nynorsk_standard_text(
    adviser: Client, survey: Survey
):
    response = adviser.get(text_url(survey.round, language="nn"))

    assert response.status_code == 200
    assert "Invitasjon til brukarundersøking for helse, sosial og omsorg" in response.text


def test_the_edit_page_lists_the_placeholders(adviser: Client, survey: Survey):
    response = adviser.get(text_url(survey.round))

    placeholders = [
        f"<code>{{{name}}}</code>"
        for name in ["navn", "kode", "qr", "nettadresse", "apner", "stenger", "underskriver"]
    ]
    assert found_in(response.text, placeholders) == placeholders


def test_a_preview_shows_a_sample_letter_as_an_image(adviser: Client, survey: Survey):
    response = adviser.post(text_url(survey.round), {**text_form(survey), "action": "preview"})

    assert response.status_code == 200
    image = preview_image(response)
    assert image.format == "PNG"
    assert image.height > image.width


def test_a_preview_saves_nothing(adviser: Client, survey: Survey):
    adviser.post(
        text_url(survey.round),
        {**text_form(survey), "title": "Bare en prøve", "action": "preview"},
    )

    assert not LetterText.objects.filter(title="Bare en prøve").exists()


def test_a_preview_of_a_text_with_an_unknown_placeholder_names_it_and_shows_no_image(
    adviser: Client, survey: Survey
):
    body = "Kjære {fornavn}\n{qr}"

    response = adviser.post(
        text_url(survey.round), {**text_form(survey), "body": body, "action": "preview"}
    )

    assert response.status_code == 400
    assert "Line 1 has {fornavn}, which is not a placeholder." in response.text
    assert "data:image/png" not in response.text


def test_saving_a_text_stores_it_and_returns_to_the_letters(world, adviser: Client, survey: Survey):
    response = adviser.post(text_url(survey.round), text_form(survey, title="Vi vil høre fra deg"))

    assert response.status_code == 302
    assert response["Location"] == letters_url(survey.round)
    saved = LetterText.objects.get(round=survey.round, kind="invitation", language="nb")
    assert (saved.title, saved.updated_by) == ("Vi vil høre fra deg", world.people["adviser"])
    assert "The letter text is saved." in adviser.get(response["Location"]).text


def test_saving_a_text_with_an_unknown_placeholder_is_refused_naming_it(
    adviser: Client, survey: Survey
):
    response = adviser.post(
        text_url(survey.round), text_form(survey, body="Hei {fornavn}\n\n{qr}", title="Ny")
    )

    assert response.status_code == 400
    assert "Line 1 has {fornavn}, which is not a placeholder." in response.text
    assert not LetterText.objects.filter(title="Ny").exists()


def test_saving_a_text_that_overflows_the_page_is_refused_keeping_what_was_typed(
    adviser: Client, survey: Survey
):
    body = "{qr}\n\n" + "\n\n".join(["Et langt avsnitt om tjenestene, igjen og igjen. " * 8] * 40)

    response = adviser.post(text_url(survey.round), text_form(survey, body=body, title="Lang"))

    assert response.status_code == 400
    assert "pages, and it must fit on both sides of one sheet (two pages)." in response.text
    assert "Et langt avsnitt om tjenestene" in response.text
    assert not LetterText.objects.filter(title="Lang").exists()


def test_an_english_text_can_be_added(adviser: Client, survey: Survey):
    page = adviser.get(text_url(survey.round, language="en"))
    form = text_form(survey, title="Invitation to our user survey")
    form["body"] = "Dear {navn},\n\nplease answer our survey.\n\n{qr}"

    response = adviser.post(text_url(survey.round, language="en"), form)

    assert "Invitation to a user survey for health, social and care services" in page.text
    assert response.status_code == 302
    assert LetterText.objects.get(language="en").title == "Invitation to our user survey"


def test_an_english_text_can_be_removed(adviser: Client, survey: Survey):
    save_text(survey.round, kind="invitation", audience="users", language="en")

    response = adviser.post(delete_url(survey.round, "en"))

    assert response.status_code == 302
    assert not LetterText.objects.filter(language="en").exists()
    follow = adviser.get(response["Location"])
    assert "Removed. Recipients who prefer English get bokmål letters." in follow.text


def test_the_bokmal_text_cannot_be_removed(adviser: Client, printable: Survey):
    response = adviser.post(delete_url(printable.round, "nb"))

    assert response.status_code == 302
    assert LetterText.objects.filter(language="nb", kind="invitation", audience="users").exists()
    follow = adviser.get(response["Location"])
    assert "Bokmål letters are always printed; change the text instead." in follow.text


def test_removing_a_language_that_was_never_added_is_not_found(adviser: Client, survey: Survey):
    assert adviser.post(delete_url(survey.round, "nn")).status_code == 404


@pytest.mark.parametrize(
    ("kind", "audience", "language"),
    [("letter", "users", "nb"), ("invitation", "staff", "nb"), ("invitation", "users", "de")],
)
def test_a_text_that_cannot_exist_is_not_found(
    adviser: Client, survey: Survey, kind, audience, language
):
    assert adviser.get(text_url(survey.round, kind, audience, language)).status_code == 404


# --- printing --------------------------------------------------------------------------


def test_printing_starts_a_background_task(adviser: Client, printable: Survey):
    task = task_from(adviser.post(print_url(printable.round), {"kind": "invitation"}))

    assert (task.kind, task.status) == ("letters.print", BackgroundTask.Status.QUEUED)


def test_printing_a_round_that_is_not_ready_says_what_is_missing(adviser: Client, survey: Survey):
    response = adviser.post(print_url(survey.round), {"kind": "invitation"})

    assert response.status_code == 400
    assert (
        "Read through the bokmål text of the invitation to relatives and save it" in response.text
    )
    assert not BackgroundTask.objects.exists()


def test_a_print_that_is_done_offers_its_file(adviser: Client, printed_task: BackgroundTask):
    page = adviser.get(reverse("core:task_status", args=[printed_task.pk]))

    assert printed_task.status == BackgroundTask.Status.DONE
    assert printed_task.result["letters"] == 4  # type: ignore[index]
    assert "4 letters are ready." in page.text
    assert f'href="{download_url(printed_task)}"' in page.text


def test_the_file_downloads_as_a_pdf_of_every_letter(
    adviser: Client, printable: Survey, printed_task
):
    status, content_type, body = fetch(adviser, download_url(printed_task))

    assert (status, content_type) == (200, "application/pdf")
    assert sorted(codes_in(body)) == sorted(printable.codes.values())


def test_the_file_downloads_only_once(adviser: Client, printed_task: BackgroundTask):
    fetch(adviser, download_url(printed_task))

    again = adviser.get(download_url(printed_task))

    assert again.status_code == 302
    assert again["Location"] == reverse("core:task_status", args=[printed_task.pk])
    assert (
        "That file has been downloaded and deleted already." in adviser.get(again["Location"]).text
    )


def test_the_file_is_deleted_once_downloaded(
    adviser: Client, printed_task: BackgroundTask, settings
):
    folder = Path(settings.MEDVIRK_LETTERS_DIR) / str(printed_task.pk)
    before = sorted(p.name for p in folder.iterdir())

    fetch(adviser, download_url(printed_task))

    assert before == ["brev.pdf"]
    assert list(folder.iterdir()) == []


def test_after_the_download_the_status_page_says_the_file_is_gone(
    adviser: Client, printed_task: BackgroundTask
):
    fetch(adviser, download_url(printed_task))

    page = adviser.get(reverse("core:task_status", args=[printed_task.pk]))

    assert "The file has been downloaded and deleted from Medvirk." in page.text
    assert download_url(printed_task) not in page.text


def test_the_download_is_audited(world, adviser: Client, printed_task: BackgroundTask):
    fetch(adviser, download_url(printed_task))

    entry = AuditEntry.objects.get(action="letters.download")
    assert entry.actor == world.people["adviser"]
    assert entry.changes == {"letters": [None, 4]}


def test_another_adviser_of_the_area_cannot_download_the_file(
    world, printed_task: BackgroundTask, settings
):
    colleague = UserFactory.create(username="colleague")
    RoleAssignmentFactory.create(
        user=colleague, municipality=world.alpha, role=Role.QUALITY_ADVISER, service_area=world.area
    )
    client = Client(HTTP_HOST="alpha.test")
    client.force_login(colleague)

    status, _type, _body = fetch(client, download_url(printed_task))

    assert status == 404
    assert (Path(settings.MEDVIRK_LETTERS_DIR) / str(printed_task.pk) / "brev.pdf").exists()


def test_an_administrator_cannot_download_an_advisers_file(
    client_for, printed_task: BackgroundTask
):
    assert fetch(client_for("admin"), download_url(printed_task))[0] == 404
    assert client_for("admin").get(manifest_url(printed_task)).status_code == 404


def test_the_manifest_lists_letters_per_batch_and_postal_code(
    adviser: Client, printed_task: BackgroundTask
):
    response = adviser.get(manifest_url(printed_task))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert list(csv.reader(io.StringIO(response.content.decode()), delimiter=";")) == [
        ["bunke", "postnummer", "antall brev"],
        ["1", "3015", "1"],
        ["1", "3044", "1"],
        ["1", "3045", "2"],
    ]


def test_the_manifest_has_no_names_or_codes(
    adviser: Client, printable: Survey, printed_task: BackgroundTask
):
    manifest = adviser.get(manifest_url(printed_task)).content.decode()

    assert found_in(manifest, [*printable.codes, *code_forms(printable.codes.values())]) == []


def test_the_manifest_can_be_fetched_after_the_download(
    adviser: Client, printed_task: BackgroundTask
):
    fetch(adviser, download_url(printed_task))

    assert adviser.get(manifest_url(printed_task)).status_code == 200


def test_batches_download_as_a_zip_of_numbered_files_and_the_manifest(
    adviser: Client, printable: Survey
):
    task = task_from(
        adviser.post(print_url(printable.round), {"kind": "invitation", "batch_size": "3"})
    )
    tasks.run_pending()

    status, content_type, body = fetch(adviser, download_url(task))

    assert (status, content_type) == (200, "application/zip")
    bundle = zipfile.ZipFile(io.BytesIO(body))
    assert bundle.namelist() == ["brev-001.pdf", "brev-002.pdf", "manifest.csv"]
    assert [len(page_texts(bundle.read(name))) for name in bundle.namelist()[:2]] == [3, 1]
    assert bundle.read("manifest.csv").decode().splitlines()[-1] == "2;3045;1"


def test_printing_chosen_units_prints_only_their_letters(world, adviser: Client, printable: Survey):
    task = task_from(
        adviser.post(
            print_url(printable.round), {"kind": "invitation", "units": [world.sibling.pk]}
        )
    )
    tasks.run_pending()

    _status, _type, body = fetch(adviser, download_url(task))

    assert codes_in(body) == [printable.codes["Kari Hjemme"]]


def test_reminders_print_only_the_unused_codes(adviser: Client, printable: Survey):
    answer_all(Client(HTTP_HOST="alpha.test"), printable, "Åse Ødegård")
    task = task_from(adviser.post(print_url(printable.round), {"kind": "reminder"}))
    tasks.run_pending()
    task.refresh_from_db()

    _status, _type, body = fetch(adviser, download_url(task))

    assert task.result["download"] == "paminnelse.pdf"  # type: ignore[index]
    assert sorted(codes_in(body)) == sorted(
        code for name, code in printable.codes.items() if name != "Åse Ødegård"
    )


def test_recipients_with_incomplete_addresses_are_listed_on_the_result(
    world, adviser: Client, printable: Survey
):
    Recipient.objects.filter(round=printable.round, name="Ola Nordmann").update(place="")
    task = task_from(adviser.post(print_url(printable.round), {"kind": "invitation"}))
    tasks.run_pending()

    page = adviser.get(reverse("core:task_status", args=[task.pk]))

    assert "3 letters are ready." in page.text
    assert "Not printed: incomplete address" in page.text
    assert "Ola Nordmann" in page.text


def test_the_result_page_shows_no_code(
    adviser: Client, printable: Survey, printed_task: BackgroundTask
):
    page = adviser.get(reverse("core:task_status", args=[printed_task.pk]))

    assert found_in(page.text, code_forms(printable.codes.values())) == []


def test_no_plain_code_is_stored_after_printing_and_downloading(
    adviser: Client, printable: Survey, printed_task: BackgroundTask
):
    fetch(adviser, download_url(printed_task))

    stored = stored_everywhere()

    assert found_in(stored, code_forms(printable.codes.values())) == []


def test_a_unit_outside_the_round_cannot_be_chosen(world, adviser: Client, printable: Survey):
    response = adviser.post(
        print_url(printable.round), {"kind": "invitation", "units": [world.loose_unit.pk]}
    )

    assert response.status_code == 400
    assert not BackgroundTask.objects.exists()


def test_a_print_refused_by_the_worker_says_why(adviser: Client, printable: Survey):
    task = task_from(adviser.post(print_url(printable.round), {"kind": "invitation"}))
    surveys.round_close(actor=None, round_=printable.round)
    tasks.run_pending()

    page = adviser.get(reverse("core:task_status", args=[task.pk]))

    task.refresh_from_db()
    assert task.status == BackgroundTask.Status.FAILED
    assert "The round is closed; there is nobody left to write to." in page.text
    assert adviser.get(download_url(task)).status_code == 404


def test_a_print_nobody_downloaded_is_deleted_after_the_keeping_time(
    printed_task: BackgroundTask, settings
):
    folder = Path(settings.MEDVIRK_LETTERS_DIR) / str(printed_task.pk)
    hours_ago = time.time() - (settings.MEDVIRK_LETTERS_KEEP_HOURS + 1) * 3600
    os.utime(folder, (hours_ago, hours_ago))

    tasks.housekeeping()

    assert not folder.exists()


def test_a_fresh_print_is_kept_until_it_is_downloaded(printed_task: BackgroundTask, settings):
    tasks.housekeeping()

    assert (Path(settings.MEDVIRK_LETTERS_DIR) / str(printed_task.pk) / "brev.pdf").exists()


def test_a_batch_size_of_nothing_is_refused(adviser: Client, printable: Survey):
    response = adviser.post(print_url(printable.round), {"kind": "invitation", "batch_size": "0"})

    assert response.status_code == 400
    assert not BackgroundTask.objects.exists()


# --- a lost letter ---------------------------------------------------------------------


def test_the_search_finds_a_recipient_by_name(adviser: Client, printable: Survey):
    response = adviser.get(reissue_url(printable.round), {"q": "Ødeg"})

    assert response.status_code == 200
    recipient = printable.recipient("Åse Ødegård")
    assert reissue_letter_url(printable.round, recipient) in response.text
    assert "Ola Nordmann" not in response.text


def test_the_search_ignores_case_also_in_norwegian_letters(adviser: Client, printable: Survey):
    response = adviser.get(reissue_url(printable.round), {"q": "åse ødegård"})

    recipient = printable.recipient("Åse Ødegård")
    assert reissue_letter_url(printable.round, recipient) in response.text


def test_the_search_finds_recipients_by_postal_code(adviser: Client, printable: Survey):
    response = adviser.get(reissue_url(printable.round), {"q": "3045"})

    assert "Åse Ødegård" in response.text
    assert "Ola Nordmann" in response.text
    assert "Kari Hjemme" not in response.text


def test_the_search_does_not_show_those_who_have_answered(adviser: Client, printable: Survey):
    answer_all(Client(HTTP_HOST="alpha.test"), printable, "Åse Ødegård")

    response = adviser.get(reissue_url(printable.round), {"q": "Åse"})

    assert "Åse Ødegård" not in response.text
    assert "Nobody who has not answered matches that." in response.text


def test_a_search_of_one_letter_is_refused(adviser: Client, printable: Survey):
    assert adviser.get(reissue_url(printable.round), {"q": "Å"}).status_code == 400


def test_the_search_shows_no_code(adviser: Client, printable: Survey):
    response = adviser.get(reissue_url(printable.round), {"q": "3045"})

    assert "Åse Ødegård" in response.text
    assert found_in(response.text, code_forms(printable.codes.values())) == []


def test_a_new_letter_is_a_pdf_with_a_new_code(adviser: Client, printable: Survey):
    recipient = printable.recipient("Åse Ødegård")

    response = adviser.post(reissue_letter_url(printable.round, recipient))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="nytt-brev.pdf"'
    (code,) = codes_in(response.content)
    assert code != printable.codes["Åse Ødegård"]


def test_after_a_new_letter_only_the_new_code_works(
    adviser: Client, printable: Survey, respondent: Client
):
    recipient = printable.recipient("Åse Ødegård")
    (code,) = codes_in(adviser.post(reissue_letter_url(printable.round, recipient)).content)

    old = enter_code(respondent, printable.codes["Åse Ødegård"])
    new = enter_code(Client(HTTP_HOST="alpha.test"), code)

    assert old.status_code == 400
    assert (new.status_code, new["Location"]) == (302, reverse("answer:start"))


def test_a_new_letter_for_someone_who_answered_is_refused(adviser: Client, printable: Survey):
    answer_all(Client(HTTP_HOST="alpha.test"), printable, "Åse Ødegård")
    recipient = printable.recipient("Åse Ødegård")

    response = adviser.post(reissue_letter_url(printable.round, recipient))

    assert response.status_code == 302
    assert response["Location"] == reissue_url(printable.round)
    follow = adviser.get(response["Location"])
    assert "This recipient has answered already; the code is used." in follow.text
    assert printable.code_now("Åse Ødegård") == printable.codes["Åse Ødegård"]
