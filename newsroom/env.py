"""Settings from the environment, with one clear sentence when a value is wrong."""

import os

from django.core.exceptions import ImproperlyConfigured


class ConfigError(ImproperlyConfigured):
    """A deployment setting is missing or malformed; manage.py prints it plainly."""


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name).lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false (1/0, yes/no), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def env_rates(name: str, default: str, scopes: set[str]) -> list[tuple[int, int, str]]:
    """Rate limits written as allauth writes them, e.g. "5/m/user,20/m/ip": a list
    of (count, seconds, scope)."""
    rates = []
    for item in env_list(name, default):
        count, _, rest = item.partition("/")
        period, _, scope = rest.partition("/")
        if not count.isdigit() or period not in _PERIODS or scope not in scopes:
            raise ConfigError(
                f"{name} must be limits such as 5/m/{sorted(scopes)[-1]} (a number, "
                f"s/m/h/d, and one of {', '.join(sorted(scopes))}), not {item!r}."
            )
        rates.append((int(count), _PERIODS[period], scope))
    return rates


def env_path(name: str, default: str) -> str:
    """A URL path prefix such as "admin/": no leading slash, one trailing slash."""
    value = env(name, default).strip("/")
    if not value or not all(part and part.isascii() for part in value.split("/")):
        raise ConfigError(f"{name} must be a path such as {default!r}, not {value!r}.")
    if any(char in value for char in "?#% \\"):
        raise ConfigError(f"{name} must be a plain path such as {default!r}.")
    return f"{value}/"
