"""Terms of office as date ranges (terms.py, no Django)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from medvirk.councils import terms
from medvirk.councils.terms import Term


def test_a_two_year_term_ends_the_day_before_two_years_later():
    assert terms.term_end(date(2026, 1, 1), 2) == date(2027, 12, 31)


def test_a_term_from_29_february_ends_on_27_february():
    assert terms.term_end(date(2028, 2, 29), 1) == date(2029, 2, 27)


def test_adding_months_keeps_the_end_of_a_month():
    assert terms.add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)


def test_terms_that_touch_on_one_day_overlap():
    assert Term(date(2026, 1, 1), date(2026, 6, 30)).overlaps(Term(date(2026, 6, 30)))


def test_terms_that_follow_each_other_do_not_overlap():
    assert not Term(date(2026, 1, 1), date(2026, 6, 30)).overlaps(Term(date(2026, 7, 1)))


def test_the_busiest_day_counts_terms_held_at_once():
    held = [Term(date(2026, 1, 1), date(2026, 3, 31)), Term(date(2026, 3, 1), date(2026, 12, 31))]

    assert terms.busiest_day(held, Term(date(2026, 2, 1), date(2026, 12, 31))) == (
        2,
        date(2026, 3, 1),
    )


def test_terms_outside_the_range_do_not_count():
    held = [Term(date(2024, 1, 1), date(2025, 12, 31))]

    assert terms.busiest_day(held, Term(date(2026, 1, 1), date(2027, 12, 31)))[0] == 0


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@given(st.lists(st.tuples(days, st.integers(0, 900)), max_size=8), days, st.integers(0, 900))
def test_the_busiest_day_is_the_most_held_on_any_day(spans, start, length):
    from datetime import timedelta

    held = [Term(first, first + timedelta(days=n)) for first, n in spans]
    within = Term(start, start + timedelta(days=length))
    count, day = terms.busiest_day(held, within)
    every_day = [start + timedelta(days=i) for i in range(length + 1)]

    assert count == max(sum(t.holds_on(d) for t in held) for d in every_day)
    assert within.holds_on(day)
