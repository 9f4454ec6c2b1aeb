"""The audit chain's key, kept outside the database, and the codes it makes.

Whoever can write to the database can rewrite the records and work out an
unkeyed hash chain again; they cannot work out an HMAC without the key. The
key is ``YUNONG_AUDIT_KEY`` or, when that is empty, a random key created once
in ``var/audit_key``. Two keys are derived from it, so that a code of the
chain can never pass for the signature of a checkpoint, or the other way round.
"""

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from yunong.settings import get_settings

CHAIN_PURPOSE = b"yunong audit chain"
CHECKPOINT_PURPOSE = b"yunong audit checkpoint"


def chain_key() -> bytes:
    return derived(master_key(), CHAIN_PURPOSE)


def checkpoint_key() -> bytes:
    return derived(master_key(), CHECKPOINT_PURPOSE)


def master_key() -> bytes:
    settings = get_settings()
    return read_key(settings.audit_key, (settings.var_dir / "audit_key").resolve())


@lru_cache(maxsize=8)
def read_key(configured: str, path: Path) -> bytes:
    if configured:
        return configured.encode()
    if not path.exists():
        create_key_file(path)
    return path.read_text().strip().encode()


def create_key_file(path: Path) -> None:
    """Write a new random key; of several processes starting at once, the first one's stays."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    draft.write_text(secrets.token_urlsafe(48))
    draft.chmod(0o600)
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()


@lru_cache(maxsize=8)
def derived(master: bytes, purpose: bytes) -> bytes:
    return hmac.new(master, purpose, hashlib.sha256).digest()


def code(key: bytes, *fields: str) -> str:
    """HMAC-SHA256 of the fields joined by the unit separator, in hex."""
    return hmac.new(key, "\x1f".join(fields).encode(), hashlib.sha256).hexdigest()


def same(first: str | None, second: str) -> bool:
    return first is not None and hmac.compare_digest(first, second)
