"""A user council's meeting in Chromium, as its secretary: keyboard only, axe on every page.

The unit manager of Konnerud bo- og behandlingssenter (leder.konnerud) plans a meeting in
the year's plan, puts an item on its agenda, sends the notice, writes the minutes (who came,
each item's discussion and advisory resolution) and approves them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from medvirk.core import tasks
from medvirk.councils import demo as councils_demo
from medvirk.councils import selectors, services
from medvirk.councils.models import AgendaItem, Attendance, Council, Delivery, Meeting
from medvirk.organisation.models import Municipality

from .conftest import PASSWORD, AxeTracker, press_and_wait, sign_in_with_keyboard, tab_to


@pytest.fixture
def council_site(demo_site: str) -> str:
    """The demo municipality with its councils, and Konnerud's plan for this year."""
    councils_demo.extend_demo(Municipality.objects.get(slug="drammen"))
    council = Council.objects.get(unit__code="KON-BBS")
    year = timezone.localdate().year
    if not council.plans.filter(year=year).exists():
        services.meeting_plan_create(actor=None, council=council, year=year)
    return demo_site


def in_english(page: Page, site: str) -> None:
    """Read the pages in English, the source language, so the checks below stay true."""
    page.context.add_cookies([{"name": "medvirk_language", "value": "en", "url": site}])


def konnerud() -> Council:
    return Council.objects.get(unit__code="KON-BBS")


def follow(page: Page, selector: str, checked: Callable[[Page], Page], limit: int = 80) -> None:
    """Tab to a link or button and press Enter, then check the page it opens."""
    tab_to(page, selector, limit=limit)
    press_and_wait(page)
    checked(page)


def papers_sent(meeting: Meeting) -> set[str]:
    """What reached the members once the worker has mailed what the pages queued."""
    while tasks.run_next() is not None:
        pass
    return set(
        meeting.deliveries.filter(status=Delivery.Status.SENT).values_list("papers", flat=True)
    )


def test_the_secretary_takes_a_meeting_from_plan_to_approved_minutes(
    page: Page, council_site, checked
):
    year = timezone.localdate().year
    in_english(page, council_site)
    sign_in_with_keyboard(page, council_site, "leder.konnerud", checked)
    page.goto(f"{council_site}{konnerud().get_absolute_url()}")
    checked(page)

    follow(page, f'main a[href$="/plans/{year}/"]', checked)
    follow(page, 'main a[href$="/meetings/new/"]', checked)
    tab_to(page, "#id_date")
    page.keyboard.type(timezone.localdate().strftime("%d.%m.%Y"))
    page.keyboard.press("Tab")
    page.keyboard.type("00:00")
    page.keyboard.press("Tab")
    page.keyboard.type("Kantina")
    follow(page, "main form button[type=submit]", checked)
    meeting = Meeting.objects.get(council=konnerud(), place="Kantina")
    assert [i.kind for i in meeting.items.order_by("number")] == [
        "notice_approval",
        "minutes_approval",
        "orientations",
    ]

    follow(page, 'main a[href$="/items/new/"]', checked)
    tab_to(page, "#id_title")
    page.keyboard.type("Aktiviteter i helgene")
    tab_to(page, "#id_description")
    page.keyboard.type("Pårørende ønsker flere aktiviteter lørdag og søndag.")
    page.keyboard.press("Tab")
    page.keyboard.type("Rådet anbefaler en prøveordning.")
    follow(page, "main form button[type=submit]", checked)
    item = meeting.items.get(kind=AgendaItem.Kind.ITEM)
    expect(page.locator(f"#item-{item.pk} h3")).to_contain_text(item.label)

    follow(page, "#send-notice", checked)
    expect(page.locator("[aria-current=step]")).to_have_text("Notice sent")
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.NOTICE_SENT

    follow(page, "#write-minutes", checked)
    members = selectors.recipients(meeting)
    absent = next(m for m in members if m.name == "Berit Hagen")
    tab_to(page, f"#id_attendance-{absent.pk}_0")
    page.keyboard.press("ArrowRight")  # present → sent apologies
    tab_to(page, f"#id_discussion-{item.pk}")
    page.keyboard.type("Rådet drøftet hvem som kan bidra i helgene.")
    page.keyboard.press("Tab")
    page.keyboard.type("Brukerrådet råder virksomheten til å prøve aktiviteter annenhver lørdag.")
    follow(page, "#save-minutes", checked)
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.HELD

    follow(page, "#approve-minutes", checked)
    expect(page.locator("[aria-current=step]")).to_have_text("Minutes approved")

    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.state == Meeting.State.MINUTES_APPROVED
    assert Attendance.objects.get(meeting=stored, membership=absent).status == "apology"
    assert AgendaItem.objects.get(pk=item.pk).resolution == (
        "Brukerrådet råder virksomheten til å prøve aktiviteter annenhver lørdag."
    )
    assert stored.items.exclude(resolution="").count() == 4  # the standing ones offered theirs
    assert papers_sent(stored) == {Delivery.Papers.NOTICE, Delivery.Papers.MINUTES}


def test_the_council_member_reads_the_council_and_its_papers(page: Page, council_site, checked):
    in_english(page, council_site)
    sign_in_with_keyboard(page, council_site, "brukerrad.konnerud", checked)
    held = konnerud().meetings.filter(state=Meeting.State.MINUTES_APPROVED).first()
    assert held is not None
    paths = [
        "/staff/councils/",
        konnerud().get_absolute_url(),
        f"{konnerud().get_absolute_url()}actions/",
        f"{konnerud().get_absolute_url()}report/{timezone.localdate().year}/",
        held.get_absolute_url(),
        "/brukerrad/",
        konnerud().get_public_url(),
        f"{konnerud().get_public_url()}referat/{held.pk}/",
    ]
    for path in paths:
        page.goto(council_site + path)
        checked(page)
        expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Send the notice")


def test_every_council_page_of_the_secretary_passes_axe(page: Page, council_site, checked):
    sign_in_with_keyboard(page, council_site, "leder.konnerud", checked)
    council = konnerud()
    coming = council.meetings.get(state=Meeting.State.PLANNED, kind=Meeting.Kind.COUNCIL)
    dialogue = council.meetings.get(kind=Meeting.Kind.DIALOGUE)
    item = coming.items.filter(kind=AgendaItem.Kind.ITEM).first()
    assert item is not None
    base = council.get_absolute_url()
    paths = [
        f"{base}members/new/",
        f"{base}members/{council.memberships.first().pk}/",  # type: ignore[union-attr]
        f"{base}plans/new/",
        f"{base}actions/new/",
        coming.get_absolute_url(),
        f"{coming.get_absolute_url()}edit/",
        f"{coming.get_absolute_url()}items/new/",
        f"{coming.get_absolute_url()}items/{item.pk}/",
        f"{coming.get_absolute_url()}items/{item.pk}/results/",
        f"{dialogue.get_absolute_url()}registrations/",
        "/staff/councils/dialogue/",
    ]
    for path in paths:
        page.goto(council_site + path)
        checked(page)
        expect(page.locator("h1")).to_be_visible()


def test_the_council_page_reflows_at_320_px(
    browser: Browser, council_site, axe_tracker: AxeTracker
):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    axe_tracker.record(page)
    page.goto(council_site + "/staff/login/")
    axe_tracker.check(page)
    page.fill("#id_username", "leder.konnerud")
    page.fill("#id_password", PASSWORD)
    press_and_wait(page)
    axe_tracker.check(page)
    coming = konnerud().meetings.get(state=Meeting.State.PLANNED, kind=Meeting.Kind.COUNCIL)
    for path in (
        konnerud().get_absolute_url(),
        coming.get_absolute_url(),
        konnerud().get_public_url(),
    ):
        page.goto(council_site + path)
        axe_tracker.check(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
    context.close()
