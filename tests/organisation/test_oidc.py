"""Staff sign-in through a real OpenID Connect provider, over HTTP.

The provider is django-oidc-provider in a process of its own (tests/oidc_provider), with its
own SQLite file; Medvirk runs in ``live_server``. A ``requests`` session is the browser: one
cookie jar across both servers, the provider's sign-in form filled in and posted. If the
provider cannot start, these tests fail; they never skip.
"""

from __future__ import annotations

import html
import json
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client

from medvirk.organisation.models import (
    AuditEntry,
    Municipality,
    ProviderIdentity,
    Role,
    RoleAssignment,
    User,
)
from tests.factories import (
    PASSWORD,
    MunicipalityFactory,
    RoleAssignmentFactory,
    UnitFactory,
    UserFactory,
)
from tests.oidc_provider import serve

# Serialized rollback, as every transactional test here: the flush after a test then leaves
# the content types to be restored, for the serialized-rollback tests that follow.
pytestmark = [pytest.mark.oidc, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REPO = Path(__file__).resolve().parent.parent.parent
START_SECONDS = 120
ROLE_MAP = {"medvirk-admins": ["system_admin"], "medvirk-politicians": ["politician"]}


@dataclass
class Provider:
    url: str
    directory: Path

    @property
    def issuer(self) -> str:
        return f"{self.url}/openid"

    def set_person(self, groups: list[str], amr: tuple[str, ...] = ("pwd", "mfa")) -> None:
        """What the provider's directory says of the test user from the next sign-in on."""
        entry = {"groups": groups, "amr": list(amr)}
        self.directory.write_text(json.dumps({serve.USERNAME: entry}))


@pytest.fixture(scope="session")
def provider(live_server, tmp_path_factory) -> Iterator[Provider]:
    """The provider process, started once per test process on a free port."""
    folder = tmp_path_factory.mktemp("oidc-provider")
    directory = folder / "directory.json"
    directory.write_text("{}")
    errors = folder / "stderr.txt"
    with errors.open("w") as stderr:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.oidc_provider.serve",
                str(folder / "provider.sqlite3"),
                str(directory),
                live_server.url,
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    try:
        port = _wait_until_ready(process, errors)
        yield Provider(url=f"http://127.0.0.1:{port}", directory=directory)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_ready(process: subprocess.Popen[str], errors: Path) -> str:
    """The port from the provider's ``ready PORT`` line. Its output is read by a thread of
    its own, which also keeps the pipe drained for as long as the provider runs."""
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout
    assert stdout is not None

    def read() -> None:
        for line in stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        if line.startswith("ready "):
            return line.split()[1]
    process.kill()
    process.wait(timeout=10)
    pytest.fail(f"the OpenID Connect test provider did not start:\n{errors.read_text()}")


@pytest.fixture
def municipality(provider: Provider, settings) -> Municipality:
    """Municipality alpha on the live server's host, its staff signing in at the provider."""
    settings.MEDVIRK_OIDC = {"ALPHA": _config(provider, role_map=ROLE_MAP)}
    return MunicipalityFactory.create(slug="alpha", host="localhost", two_factor_required=True)


def _config(provider: Provider, **changes: object) -> dict[str, object]:
    config: dict[str, object] = {
        "issuer": provider.issuer,
        "client_id": serve.CLIENT_ID,
        "client_secret": serve.CLIENT_SECRET,
        "name": "Testleverandøren",
        "scopes": "openid email profile",
        "roles_claim": "groups",
        "role_map": {},
        "local_signin": True,
        "trust_mfa": False,
    }
    config.update(changes)
    return config


Rewrite = Callable[[str], str]


def _follow(
    browser: requests.Session, response: requests.Response, rewrite: Rewrite | None = None
) -> requests.Response:
    """Follow redirects one by one, across both servers, letting ``rewrite`` change a URL."""
    for _hop in range(20):
        if not response.is_redirect:
            return response
        target = urljoin(response.url, response.headers["Location"])
        response = browser.get(rewrite(target) if rewrite else target, allow_redirects=False)
    raise AssertionError("too many redirects")


def _field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no {name} in the page"
    return html.unescape(match.group(1))


def sign_in(
    live_server, browser: requests.Session | None = None, rewrite: Rewrite | None = None
) -> requests.Response:
    """Medvirk's sign-in page → the provider's button → the provider's form → back."""
    browser = browser or requests.Session()
    page = browser.get(f"{live_server.url}/staff/login/")
    link = re.search(r'href="(/staff/login/provider/[^"]*)"', page.text)
    assert link, "no provider button on the sign-in page"
    start = browser.get(
        urljoin(page.url, link.group(1).replace("&amp;", "&")), allow_redirects=False
    )
    form = _follow(browser, start, rewrite)
    assert "Test provider sign-in" in form.text
    posted = browser.post(
        form.url,
        data={
            "csrfmiddlewaretoken": _field(form.text, "csrfmiddlewaretoken"),
            "username": serve.USERNAME,
            "password": serve.PASSWORD,
            "next": _field(form.text, "next"),
        },
        allow_redirects=False,
    )
    return _follow(browser, posted, rewrite)


def _replace_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if name not in query:
        return url
    query[name] = [value]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


def _roles(user: User, municipality: Municipality) -> set[str]:
    return set(
        RoleAssignment.objects.filter(user=user, municipality=municipality).values_list(
            "role", flat=True
        )
    )


def test_sign_in_gives_the_mapped_roles_and_a_removed_group_takes_its_role(
    live_server, provider, municipality
):
    provider.set_person(["medvirk-admins", "medvirk-politicians", "unmapped"])
    browser = requests.Session()
    landed = sign_in(live_server, browser)

    assert landed.url == f"{live_server.url}/staff/"
    assert landed.status_code == 200
    user = User.objects.get(provider_identities__municipality=municipality)
    assert (user.username, user.email) == ("kari", "kari@example.test")
    assert _roles(user, municipality) == {Role.SYSTEM_ADMIN, Role.POLITICIAN}
    identity = ProviderIdentity.objects.get(user=user)
    assert identity.issuer == provider.issuer
    # The mapped administrator role opens the administrators' pages; no Medvirk code asked.
    assert browser.get(f"{live_server.url}/staff/users/").status_code == 200

    provider.set_person(["medvirk-politicians"])
    again = sign_in(live_server)

    assert again.url == f"{live_server.url}/staff/"
    assert _roles(user, municipality) == {Role.POLITICIAN}
    revoked = AuditEntry.objects.filter(action="role.revoke", target_id=str(user.pk))
    assert [entry.changes["role"][1] for entry in revoked] == [None]
    assert AuditEntry.objects.filter(action="role.assign", target_id=str(user.pk)).count() == 2


def test_losing_every_mapped_role_refuses_sign_in_in_norwegian(live_server, provider, municipality):
    provider.set_person(["medvirk-politicians"])
    sign_in(live_server)
    user = User.objects.get(username="kari")

    provider.set_person([])
    refused = sign_in(live_server)

    assert refused.status_code == 403
    assert "Be administratoren din" in refused.text
    assert _roles(user, municipality) == set()


def test_first_sign_in_without_roles_creates_nobody(live_server, provider, municipality):
    provider.set_person(["unmapped"])

    refused = sign_in(live_server)

    assert refused.status_code == 403
    assert "ingen rolle i Medvirk" in refused.text
    assert not User.objects.filter(username="kari").exists()


def test_an_existing_user_is_matched_by_verified_email_and_keeps_medvirk_roles(
    live_server, provider, municipality, settings
):
    settings.MEDVIRK_OIDC = {"ALPHA": _config(provider)}  # no role map: Medvirk's roles
    unit = UnitFactory.create(service_area__municipality=municipality)
    staff = UserFactory.create(username="kari.n", email="Kari@example.test")
    RoleAssignmentFactory.create(
        user=staff, municipality=municipality, role=Role.UNIT_STAFF, unit=unit
    )
    provider.set_person(["medvirk-admins"])

    landed = sign_in(live_server)

    assert landed.url == f"{live_server.url}/staff/"
    assert ProviderIdentity.objects.get(municipality=municipality).user == staff
    assert _roles(staff, municipality) == {Role.UNIT_STAFF}
    assert AuditEntry.objects.filter(action="user.provider_link", target_id=str(staff.pk))


@pytest.mark.parametrize(
    ("name", "rewrite"),
    [
        ("state", lambda url: _replace_param(url, "state", "forged-state")),
        ("nonce", lambda url: _replace_param(url, "nonce", "forged-nonce")),
    ],
)
def test_a_tampered_state_or_nonce_is_refused_and_counted(
    live_server, provider, municipality, name, rewrite
):
    provider.set_person(["medvirk-admins"])

    refused = sign_in(live_server, rewrite=rewrite)

    assert refused.status_code == 400
    assert "/staff/login/provider/return/" in refused.url
    assert not User.objects.filter(username="kari").exists()
    assert AccessAttempt.objects.filter(username="").count() == 1


def test_a_locked_address_cannot_use_the_provider_either(live_server, provider, municipality):
    provider.set_person(["medvirk-admins"])
    for _attempt in range(django_settings.MEDVIRK_SIGNIN_FAILURES):
        sign_in(live_server, rewrite=lambda url: _replace_param(url, "state", "forged"))

    locked = sign_in(live_server)

    assert locked.status_code == 429
    assert not User.objects.filter(username="kari").exists()


def test_a_role_that_needs_two_factor_needs_it_from_the_provider(
    live_server, provider, municipality
):
    provider.set_person(["medvirk-admins"], amr=("pwd",))

    refused = sign_in(live_server)

    assert refused.status_code == 403
    assert "tofaktor" in refused.text


def test_sign_out_ends_the_provider_session_too(live_server, provider, municipality):
    provider.set_person(["medvirk-politicians"])
    browser = requests.Session()
    landed = sign_in(live_server, browser)
    token = _field(landed.text, "csrfmiddlewaretoken")
    # Browsers hold the sign-out form's redirect to the page's form-action.
    form_action = re.search(r"form-action ([^;]*)", landed.headers["Content-Security-Policy"])
    assert form_action
    assert form_action.group(1).split() == ["'self'", provider.url]

    out = browser.post(
        f"{live_server.url}/staff/logout/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": landed.url},
        allow_redirects=False,
    )

    target = urlsplit(out.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{provider.issuer}/end-session"
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == [f"{live_server.url}/"]
    assert query["id_token_hint"][0].count(".") == 2
    home = _follow(browser, out)
    assert home.url == f"{live_server.url}/"
    # Signed out at the provider too: the next sign-in asks for the password again.
    again = browser.get(f"{live_server.url}/staff/login/provider/", allow_redirects=True)
    assert "Test provider sign-in" in again.text


def test_without_local_sign_in_the_password_form_is_gone_and_refused(
    live_server, provider, municipality, settings
):
    settings.MEDVIRK_OIDC = {"ALPHA": _config(provider, local_signin=False)}
    UserFactory.create(username="local")
    browser = requests.Session()
    page = browser.get(f"{live_server.url}/staff/login/")
    assert "Logg inn med Testleverandøren" in page.text
    assert 'name="password"' not in page.text

    # Django's test client: no CSRF check, so only the refusal of passwords can refuse it.
    posted = Client(HTTP_HOST="localhost").post(
        "/staff/login/", {"username": "local", "password": PASSWORD}
    )

    assert posted.status_code == 403
    assert "_auth_user_id" not in Client().session
