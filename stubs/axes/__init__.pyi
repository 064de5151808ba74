# The parts of django-axes 8.3 that Medvirk uses (organisation/signin.py and services.py),
# copied from its sources: it ships no py.typed marker and no stubs are published.
