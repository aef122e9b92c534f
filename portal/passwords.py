"""Password hashing with argon2id (argon2-cffi's defaults follow current OWASP guidance)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # argon2id
# Verified when an email has no account, so a wrong email costs the same time as a wrong password.
_DUMMY = _HASHER.hash("no account has this password")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; ``None`` (no such account) is checked against a dummy."""
    try:
        return _HASHER.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
