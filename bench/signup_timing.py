"""Time sign-ups for an address that has an account and for a new one, as pairs.

    .venv/bin/python bench/signup_timing.py

Both answers must take the same work (the password is hashed either way), so
their times should overlap. Runs in this process with production password
hashing, against a throwaway database on the development server (or
DATABASE_URL's), which it drops afterwards. Prints 10 pairs and the medians.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

PAIRS = 10
PASSWORD = "a-long-reader-passphrase"


def sign_up(client, email):
    started = time.perf_counter()
    response = client.post(
        "/accounts/signup/",
        {
            "email": email,
            "display_name": "Reader",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 302, response.status_code
    return elapsed


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DATABASES["default"]["TEST"]["NAME"] = "newsroom_bench_signup"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        sign_up(Client(), "taken@example.org")
        sign_up(Client(), "warm-up@example.org")
        print(f"Sign-up, {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[1]}:")
        print("  pair   existing address   new address")
        existing, new = [], []
        for number in range(PAIRS):
            cache.clear()  # rate limits would otherwise skip the email
            existing.append(sign_up(Client(), "taken@example.org"))
            cache.clear()
            new.append(sign_up(Client(), f"new{number}@example.org"))
            print(f"  {number + 1:4}   {existing[-1]:13.1f} ms   {new[-1]:8.1f} ms")
        print(
            f"  median {statistics.median(existing):11.1f} ms   "
            f"{statistics.median(new):8.1f} ms"
        )
        print(f"Load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    finally:
        connection.creation.destroy_test_db(
            "newsroom_bench_signup", verbosity=0, keepdb=False
        )


if __name__ == "__main__":
    main()
