"""The project's settings, with what only tests want: bare `pytest` needs no
environment, and passwords hash fast (PBKDF2 dominated the suite's time)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret")
# The suite runs with DEBUG off, as production does, on the embedded server
# unless DATABASE_URL names another.
os.environ.setdefault("EMBEDDED_POSTGRES", "1")

from newsroom.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Most tests use the admin without a second factor; the enforcement has its own
# tests, which turn it on (tests/test_staff_access.py).
STAFF_REQUIRE_TWO_FACTOR = False
