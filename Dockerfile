# Three images from one file:
# - app (the default): gunicorn serves the site, db_worker runs background tasks,
#   `manage.py migrate` runs once per deploy (docker-compose's migrate service).
# - proxy: nginx with deploy/nginx.conf and the collected static files.
# - tor: Debian's tor, publishing the proxy as an onion service (docker-compose's
#   optional `tor` service, in the `onion` profile).
FROM python:3.11-slim-bookworm AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 1000 newsroom
WORKDIR /app

COPY pyproject.toml README.md ./
RUN pip install .
COPY . .

# collectstatic and compilemessages (the interface's translations, with Debian's
# gettext, removed again) need settings to import; these values exist only at build time.
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends gettext \
    && SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    python manage.py compilemessages --ignore=.venv \
    && apt-get purge -y -qq gettext && apt-get autoremove -y -qq \
    && rm -rf /var/lib/apt/lists/* \
    && SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown newsroom /app/media

USER newsroom
EXPOSE 8000
CMD ["gunicorn", "newsroom.wsgi:application", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]

FROM nginx:1.28-bookworm AS proxy
# The image's entrypoint fills in NEWSROOM_* and writes /etc/nginx/nginx.conf.
ENV NGINX_ENVSUBST_OUTPUT_DIR=/etc/nginx \
    NGINX_ENVSUBST_FILTER=^NEWSROOM_
COPY deploy/nginx.conf /etc/nginx/templates/nginx.conf.template
COPY --from=app /app/staticfiles /srv/newsroom/static
RUN mkdir -p /srv/newsroom/media
EXPOSE 80
CMD ["nginx", "-p", "/srv/newsroom/", "-g", "daemon off;"]

FROM debian:bookworm-slim AS tor
RUN apt-get update \
    && apt-get install -y --no-install-recommends tor \
    && rm -rf /var/lib/apt/lists/*
COPY deploy/torrc /etc/tor/torrc
# The package's own user and its data folder (0700), which the volume keeps.
USER debian-tor
CMD ["tor", "-f", "/etc/tor/torrc"]

FROM app
