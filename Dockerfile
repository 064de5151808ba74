# Medvirk's production image: gunicorn with the production settings, or (with another
# command) the background worker. compose.yaml runs both, with PostgreSQL and nginx.
# See docs/operations.md, "Containers". This file is not built in CI.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=medvirk.settings.production \
    MEDVIRK_DATA_DIR=/var/lib/medvirk

# The service user, as in the systemd setup; a fixed id, so that volumes keep their owner.
RUN groupadd --system --gid 10001 medvirk \
    && useradd --system --uid 10001 --gid medvirk --home-dir /var/lib/medvirk \
        --no-create-home --shell /usr/sbin/nologin medvirk

WORKDIR /srv/medvirk

# Dependencies first, so that a change in the code does not reinstall them. Every one has
# a wheel for Linux (Typst, pikepdf and psycopg bring their own libraries).
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Compiled catalogues and static files are part of the image. SECRET_KEY and ALLOWED_HOSTS
# here only let the production settings load for collectstatic; they are not kept.
RUN python -m medvirk.core.i18n_compile \
    && SECRET_KEY=only-for-collectstatic-in-the-image-build-never-used-0123456789 \
        ALLOWED_HOSTS=localhost MEDVIRK_DATA_DIR=/tmp/build \
        python manage.py collectstatic --noinput \
    && rm -rf /tmp/build \
    && install -d -o medvirk -g medvirk -m 750 /var/lib/medvirk \
    && install -d -o medvirk -g medvirk -m 755 /var/lib/medvirk/media

USER medvirk
EXPOSE 8000

# As the systemd unit in docs/operations.md, but listening on the container's network:
# only nginx reaches it there (compose.yaml publishes no port of this container). The
# access log leaves out query strings and client addresses on purpose.
CMD ["gunicorn", "medvirk.wsgi", "--workers", "3", "--worker-class", "gthread", \
     "--threads", "4", "--max-requests", "2000", "--max-requests-jitter", "200", \
     "--bind", "0.0.0.0:8000", "--access-logfile", "-", \
     "--access-logformat", "%(t)s \"%(m)s %(U)s\" %(s)s %(b)s %(L)ss"]
