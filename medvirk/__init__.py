"""Medvirk: user participation for a municipality's health, social and care services.

One Django app per module, in the order they are built (see README.md, "Where things are"):
``organisation`` (municipalities, units, staff, roles, audit log) is here now; ``surveys``,
``letters``, ``results``, ``councils``, ``feedback``, ``volunteering``, ``benchmarks`` and
``alarms`` will sit beside it as ``medvirk/<module>/``. ``core`` holds what every module
shares: the page layout, forms, language and the health check.
"""
