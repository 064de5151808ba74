"""Medvirk: user participation for a municipality's health, social and care services.

One Django app per module, in the order they are built (see README.md, "Where things are"):
``organisation`` (municipalities, units, staff, roles, audit log), ``surveys``
(questionnaires, rounds, access codes, answering) and ``letters`` (invitations and reminders
as PDF) are here now; ``results``, ``councils``, ``feedback``, ``volunteering``,
``benchmarks`` and ``alarms`` will sit beside them as ``medvirk/<module>/``. ``core`` holds
what every module shares: the page layout, forms, language, background tasks and the health
check.
"""
