#!/usr/bin/env python3
"""Django's command-line utility for administrative tasks."""

import os
import sys

if sys.version_info < (3, 11):  # noqa: UP036 (say so before any import fails)
    sys.exit(
        "Newsroom needs Python 3.11 or newer: install it and run the command again."
    )


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    from django.core.management import execute_from_command_line

    from newsroom.env import ConfigError

    try:
        execute_from_command_line(sys.argv)
    except ConfigError as exc:
        sys.exit(f"Newsroom is not configured: {exc}")


if __name__ == "__main__":
    main()
