"""Logs: a request id on every line of a request, a task id on every line of a task, JSON
lines when asked for, and no personal data or codes on any line.

The last is driven through real flows over HTTP (a respondent with a code, a staff
sign-in, a recipient import run by the worker) while every logger writes at DEBUG level
into a handler with the filters the settings give the console.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy

from medvirk.core import logs, tasks
from medvirk.core.models import BackgroundTask
from medvirk.organisation.models import Role
from medvirk.surveys import services
from medvirk.surveys.models import Recipient, Response
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.surveys.conftest import HEADER, Survey, import_people, make_round
from tests.surveys.test_answering import answer_everything

# Everything personal the flows below type or upload; none of it may reach a log line.
RESPONDENT = ("Åse Ødegård", "Bjørnstjerne Bjørnsons gate 12")
IMPORTED = (
    "Torgeir Fjellstad",
    "Kongsbergveien 77",
    "Ragnhild Sæther",
    "Rådhusgata 19",
    "Feilrad Personsen",
    "17.03.1941",
    "1941-03-17",
    "913 57 246",
    "91357246",
    "17034112345",
)
COMMENT = "Ring Åse på 47 11 22 33, hun bor i Bjørnstjerne Bjørnsons gate 12."
STAFF_USERNAME = "ingrid.solberg"
STAFF_NAME = ("Ingrid", "Solberg")
STAFF_PASSWORD = "Fjordlys-Morgen-2026"
WRONG_PASSWORD = "Fjordlys-Kveld-2025"

IMPORT_HEADER = f"{HEADER};Fødselsdato;Telefon;Fødselsnummer"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def configured_console() -> logging.Handler:
    """The handler the settings' LOGGING put on the root logger."""
    return next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, logs.RedactFilter) for f in handler.filters)
    )


@pytest.fixture
def captured() -> Iterator[Capture]:
    """Every record of every logger at DEBUG level, after the console handler's filters."""
    capture = Capture()
    for log_filter in configured_console().filters:
        capture.addFilter(log_filter)
    everyone = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level, logger.disabled) for logger in everyone]
    for logger in everyone:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    # Loggers that do not pass their records up get the capture too.
    lone = [logger for logger in everyone if not logger.propagate]
    for logger in [logging.getLogger(), *lone]:
        logger.addHandler(capture)
    try:
        yield capture
    finally:
        for logger in [logging.getLogger(), *lone]:
            logger.removeHandler(capture)
        for logger, level, disabled in saved:
            logger.setLevel(level)
            logger.disabled = disabled


def configured_formatter(*, json: bool) -> logging.Formatter:
    """The formatter the settings give the console, in either format."""
    config = dict(logs.logging_config(level="DEBUG", json=json)["formatters"]["medvirk"])
    config.pop("()")
    factory = logs.JsonFormatter if json else logs.PlainFormatter
    return factory(**config)


def json_formatter() -> logging.Formatter:
    return configured_formatter(json=True)


def plain_formatter() -> logging.Formatter:
    return configured_formatter(json=False)


def everything_written(record: logging.LogRecord) -> str:
    """A record as any handler could write it: formatted both ways, and every attribute."""
    parts = [plain_formatter().format(record), json_formatter().format(record), repr(record.args)]
    parts += [f"{key}={value!r}" for key, value in record.__dict__.items()]
    return "\n".join(parts)


# factory-boy, which builds the tests' users, logs them by name; it is not installed in
# production (requirements-dev.txt).
TEST_TOOLING = ("factory",)


def leaks(records: list[logging.LogRecord], secrets: list[str]) -> list[tuple[str, str]]:
    found = []
    for record in records:
        if record.name.split(".")[0] in TEST_TOOLING:
            continue
        text = everything_written(record)
        for secret in secrets:
            if secret.lower() in text.lower():
                found.append((secret, text.splitlines()[0]))
    return found


def code_variants(code: str) -> list[str]:
    """A code as printed, as typed without dashes, and each group of it."""
    bare = code.replace("-", "")
    return [code, bare, *code.split("-")]


@pytest.fixture
def questionnaires(db) -> dict[str, Any]:
    return {q.questionnaire.key: q.questionnaire for q in services.questionnaire_load_builtin()}


def answer_with_the_code(world, questionnaires) -> list[str]:
    """A respondent follows the QR code, types the code, answers everything and sends it.
    Returns the code's variants."""
    round_ = make_round(world, questionnaires)
    row = f"{RESPONDENT[0]};{RESPONDENT[1]};3045;Drammen;n-shj;;nb;nei"
    code = import_people(round_, row)[RESPONDENT[0]]
    services.round_open(actor=None, round_=round_)
    survey = Survey(
        round_,
        questionnaires["hso-brukerundersokelse-2016"],
        questionnaires["hso-parorendeundersokelse"],
        {RESPONDENT[0]: code},
    )

    browser = Client(HTTP_HOST="alpha.test", REMOTE_ADDR="192.0.2.10")
    assert browser.get(f"/svar/?kode={code}").status_code == 200
    assert browser.get(f"/svar/finnes-ikke/?kode={code}").status_code == 404
    assert browser.post(reverse("answer:code"), {"code": "ZZZZ-ZZZZ-ZZZZ"}).status_code == 400
    assert browser.post(reverse("answer:code"), {"code": code}).status_code == 302
    answer_everything(browser, survey, comment=COMMENT)
    assert browser.post(reverse("answer:summary")).status_code == 302
    assert Response.objects.count() == 1
    return code_variants(code)


def sign_in_wrong_then_right(world) -> None:
    user = UserFactory.create(
        username=STAFF_USERNAME,
        first_name=STAFF_NAME[0],
        last_name=STAFF_NAME[1],
        password=STAFF_PASSWORD,
    )
    RoleAssignmentFactory.create(
        user=user, municipality=world.alpha, role=Role.UNIT_STAFF, unit=world.unit
    )
    browser = Client(HTTP_HOST="alpha.test")
    login = reverse("login")
    wrong = browser.post(login, {"username": STAFF_USERNAME, "password": WRONG_PASSWORD})
    assert wrong.status_code == 200
    right = browser.post(login, {"username": STAFF_USERNAME, "password": STAFF_PASSWORD})
    assert right.status_code == 302
    assert "_auth_user_id" in browser.session


def import_recipients(world, questionnaires, client_for) -> None:
    round_ = make_round(world, questionnaires, name="Høstundersøkelse 2026")
    rows = [
        IMPORT_HEADER,
        f"{IMPORTED[0]};{IMPORTED[1]};3045;Drammen;n-shj;;nb;nei;{IMPORTED[5]};"
        f"{IMPORTED[7]};{IMPORTED[9]}",
        f"{IMPORTED[2]};{IMPORTED[3]};3015;Drammen;n-hjt;;nn;nei;{IMPORTED[6]};{IMPORTED[8]};",
        f"{IMPORTED[4]};Storgata 1;30A;Drammen;n-shj;;nb;nei;;;",
    ]
    upload = SimpleUploadedFile("mottakere.csv", "\n".join(rows).encode(), content_type="text/csv")
    adviser = client_for("adviser")
    response = adviser.post(
        reverse("surveys:round_import", args=[round_.pk]),
        {"file": upload, "skip_invalid": "on"},
    )
    assert response.status_code == 302
    assert tasks.run_pending() == 1
    task = BackgroundTask.objects.get()
    assert task.status == BackgroundTask.Status.DONE
    assert Recipient.objects.filter(round=round_).count() == 2
    adviser.get(response["Location"])


def test_no_personal_data_or_codes_in_any_log_record(
    world, questionnaires, client_for, captured, settings
):
    settings.MEDVIRK_TWO_FACTOR_DEFAULT = False
    code = answer_with_the_code(world, questionnaires)
    sign_in_wrong_then_right(world)
    import_recipients(world, questionnaires, client_for)

    secrets = [
        *RESPONDENT,
        "47 11 22 33",
        *IMPORTED,
        *code,
        STAFF_USERNAME,
        *STAFF_NAME,
        STAFF_PASSWORD,
        WRONG_PASSWORD,
    ]
    assert len(captured.records) > 10  # the flows did log: requests, axes, the worker
    assert leaks(captured.records, secrets) == []


def test_query_strings_are_taken_out_of_messages_and_arguments():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s',
        ("GET /svar/?kode=ABCD HTTP/1.1", 200),
        None,
    )

    logs.RedactFilter().filter(record)

    assert record.getMessage() == '"GET /svar/?[redacted] HTTP/1.1" 200'


def test_query_strings_are_taken_out_of_tracebacks(captured):
    try:
        raise ValueError("cannot open /svar/?kode=ABCD-EFGH-JKLM")
    except ValueError:
        logging.getLogger("medvirk.test").exception("failed")

    (record,) = [r for r in captured.records if r.name == "medvirk.test"]
    plain = plain_formatter().format(record)
    as_json = json.loads(json_formatter().format(record))
    assert "ValueError: cannot open /svar/?[redacted]" in plain
    assert "ValueError: cannot open /svar/?[redacted]" in as_json["exc_info"]
    assert "ABCD" not in plain + as_json["exc_info"]


# --- request and task ids ----------------------------------------------------------------


def test_every_line_of_a_request_carries_its_id(world, captured):
    response = Client(HTTP_HOST="alpha.test").get("/svar/finnes-ikke/")

    request_id = response[logs.HEADER]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = [r for r in captured.records if r.name == "django.request"]
    assert lines
    assert {getattr(r, "request_id", None) for r in lines} == {request_id}


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("req-2026.12.07:abc_DEF-123", True),
        ("f47ac10b-58cc-4372-a567-0e02b2c3d479", True),
        ("short", False),
        ("x" * 65, False),
        ("abc def ghi jkl", False),
        ('abcdefgh"\nINFO forged', False),
    ],
)
def test_incoming_request_id_is_kept_only_if_it_is_a_sane_token(world, incoming, kept):
    response = Client(HTTP_HOST="alpha.test").get("/healthz", HTTP_X_REQUEST_ID=incoming)

    returned = response[logs.HEADER]
    assert (returned == incoming) is kept
    if not kept:
        assert re.fullmatch(r"[0-9a-f]{32}", returned)


def test_no_request_id_outside_a_request(captured):
    logging.getLogger("medvirk.test").warning("outside")

    (record,) = [r for r in captured.records if r.name == "medvirk.test"]
    assert record.request_id == ""
    assert "request=" not in plain_formatter().format(record)


@tasks.register("tests.logging", label=gettext_lazy("Logging task"), result_template="")
def _log_something(task: BackgroundTask, progress: tasks.Progress) -> dict[str, Any]:
    logging.getLogger("medvirk.test").info("working on it")
    return {}


def test_worker_lines_carry_the_task_id(world, captured):
    task = tasks.enqueue(kind="tests.logging", municipality=world.alpha, actor=None, params={})

    tasks.run_pending()

    (record,) = [r for r in captured.records if r.getMessage() == "working on it"]
    assert record.task_id == str(task.pk)
    assert f"[task={task.pk}]" in plain_formatter().format(record)


def test_json_lines_have_the_fields_and_the_ids(captured):
    token = logs.request_id.set("abcdef0123456789")
    try:
        logging.getLogger("medvirk.test").warning("one %s", "line")
    finally:
        logs.request_id.reset(token)

    (record,) = [r for r in captured.records if r.name == "medvirk.test"]
    line = json.loads(json_formatter().format(record))
    assert line["message"] == "one line"
    assert line["level"] == "WARNING"
    assert line["logger"] == "medvirk.test"
    assert line["request_id"] == "abcdef0123456789"
    assert "time" in line
    assert "context" not in line


def test_log_format_json_is_chosen_by_the_environment():
    from tests.core.test_settings import manage

    show = [
        "shell",
        "--no-imports",
        "-c",
        "import logging; logging.getLogger('medvirk.x').warning('hello %s', 'there')",
    ]
    plain = manage(*show, SECRET_KEY="x" * 50, DEBUG="true")
    as_json = manage(*show, SECRET_KEY="x" * 50, DEBUG="true", MEDVIRK_LOG_FORMAT="json")
    wrong = manage(*show, SECRET_KEY="x" * 50, DEBUG="true", MEDVIRK_LOG_FORMAT="xml")

    assert re.search(r"WARNING medvirk\.x: hello there$", plain.stderr.strip())
    assert json.loads(as_json.stderr.strip().splitlines()[-1])["message"] == "hello there"
    assert "MEDVIRK_LOG_FORMAT: expected one of PLAIN, JSON, got 'xml'" in wrong.stderr
