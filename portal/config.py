"""Settings from PORTAL_ environment variables; no production start without a real secret."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEFAULT_SECRET = "dev"
ENV_PREFIX = "PORTAL_"


class ConfigError(RuntimeError):
    """The portal cannot start with these settings; the message says what to change."""


def defaults(instance: Path) -> dict[str, Any]:
    """Settings every start has unless the environment or the test config says otherwise."""
    return {
        "SECRET_KEY": DEFAULT_SECRET,
        "DATABASE": str(instance / "portal.sqlite3"),
        "FILES": str(instance / "files"),
        "MAX_UPLOAD_MB": 50,
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_MAX_HOURS": 12,
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_WINDOW_MINUTES": 15,
        "CHECK_SECONDS": 60,
        "CHECK_MEMORY_MB": 1536,
        "TESTING": False,
    }


def from_environment(
    known: dict[str, Any], environ: dict[str, str] | None = None
) -> dict[str, Any]:
    """Every PORTAL_* variable as a setting (PORTAL_MAX_UPLOAD_MB → MAX_UPLOAD_MB).

    A setting whose default is a number must be a whole number; anything else stays text.
    """
    environ = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for key, value in environ.items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX) :]
            if isinstance(known.get(name), int) and not isinstance(known.get(name), bool):
                if not value.strip().isdigit():
                    raise ConfigError(f"{key} must be a whole number, not {value!r}.")
                found[name] = int(value)
            else:
                found[name] = value
    return found


def finish(config: dict[str, Any], debug: bool) -> dict[str, Any]:
    """Derive Flask's own settings from ours and refuse a production start without a real secret."""
    if not (debug or config.get("TESTING")) and config.get("SECRET_KEY") in (
        None,
        "",
        DEFAULT_SECRET,
    ):
        raise ConfigError(
            "The portal needs a secret key to sign sessions. Set PORTAL_SECRET_KEY to a long "
            "random value, for example: export PORTAL_SECRET_KEY=\"$(python3 -c 'import "
            "secrets; print(secrets.token_hex(32))')\""
        )
    return {
        **config,
        "MAX_CONTENT_LENGTH": int(config["MAX_UPLOAD_MB"]) * 1024 * 1024,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "lsids_session",
        "WTF_CSRF_TIME_LIMIT": None,  # the session's own expiry bounds a form's life
    }
