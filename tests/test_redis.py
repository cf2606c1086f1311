"""With REDIS_URL set, the cache, rate limits and sessions live in Redis (Debian's
redis-server, started here on a free loopback port), so every web process on
every machine shares them; without it they stay in PostgreSQL."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from deploy.nginx import free_port, wait_for_port
from tests.factories import ReaderUserFactory

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-reader-passphrase"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server = shutil.which("redis-server")
    assert server, "Debian's redis-server is needed: apt-get install redis-server"
    port = free_port()
    process = subprocess.Popen(
        [
            *(server, "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no"),
            *("--dir", str(tmp_path_factory.mktemp("redis"))),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def other_process(code: str, **env) -> dict:
    """Run `code` in a new Django process on the test database and return the
    JSON it prints: another web server, as far as the site can tell."""
    db = connection.settings_dict
    host = db["HOST"].replace("/", "%2F")
    environ = {
        k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}
    } | {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        # Templates find static files without collectstatic.
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{host}/{db['NAME']}",
    }
    script = "import django, json; django.setup()\n" + code
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environ | env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


SETTINGS = """
from django.conf import settings
print(json.dumps([settings.CACHES["default"]["BACKEND"], settings.SESSION_ENGINE]))
"""


@pytest.mark.django_db
def test_redis_url_moves_cache_and_sessions_to_redis(redis_url):
    assert other_process(SETTINGS, REDIS_URL=redis_url) == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]
    assert other_process(SETTINGS) == [
        "django.core.cache.backends.db.DatabaseCache",
        "django.contrib.sessions.backends.db",
    ]


SECOND_SERVER = """
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client
session = SessionStore(session_key=KEY)
login = Client(HTTP_HOST="127.0.0.1").post(
    "/accounts/login/", {"login": EMAIL, "password": "wrong-passphrase"}
)
print(json.dumps({
    "user": session.get("_auth_user_id"),
    "refused": login.status_code == 429
}))
"""


@pytest.mark.django_db(transaction=True)
def test_a_second_process_shares_sessions_and_rate_limits(redis_url, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            # As settings.py makes it from REDIS_URL in the other process.
            "KEY_FUNCTION": "newsroom.cache.private_key",
        },
        "template_fragments": settings.CACHES["template_fragments"],
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    store = redis.Redis.from_url(redis_url)
    store.flushdb()
    reader = ReaderUserFactory()
    reader.set_password(PASSWORD)
    reader.save()

    client = Client()
    response = client.post(
        reverse("account_login"), {"login": reader.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert cache.get(KEY_PREFIX + key) is not None  # the session is in Redis...
    assert not any(key in name.decode() for name in store.keys("*"))  # ...hashed

    # Four wrong passwords here; allauth allows five per account (and site name:
    # both servers are behind the same address).
    for _ in range(4):
        wrong = Client(HTTP_HOST="127.0.0.1").post(
            reverse("account_login"), {"login": reader.email, "password": "nope"}
        )
        assert wrong.status_code == 200  # the form again, not the 429 of a lock

    code = f"KEY = {key!r}\nEMAIL = {reader.email!r}\n" + SECOND_SERVER
    seen = other_process(code, REDIS_URL=redis_url)
    assert seen["user"] == str(reader.pk)  # logged in there too
    assert not seen["refused"]  # the fifth failure...
    seen = other_process(code, REDIS_URL=redis_url)
    assert seen["refused"]  # ...and the sixth is refused, whichever server it meets
