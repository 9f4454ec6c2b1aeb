"""Typed settings, read from the environment with the ``YUNONG_`` prefix."""

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from yunong.core.files import FileLimits

PROJECT_VAR = Path.cwd() / "var"


class Settings(BaseSettings):
    """Deployment settings; every field can be set as ``YUNONG_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="YUNONG_", env_file=".env", extra="ignore")

    db_url: str = ""
    """SQLAlchemy URL of the operational store; empty means ``sqlite:///var/yunong.db``."""

    var_dir: Path = PROJECT_VAR
    host: str = "127.0.0.1"
    port: int = 8000
    public_domain: str = "yunong.example.cn"
    public_rate_per_minute: int = 120
    """Requests a minute one client address may make to the public scan pages and API."""
    secret_key: str = ""
    """Signs session cookies; empty means a random key kept in ``var/secret_key``."""
    session_hours: int = 8
    """How long a login session lasts; logging out, a password or role change and disabling
    the account end it sooner."""
    token_days: int = 90
    """How long a new API token stays valid unless ``yunong user token --expires`` says."""
    cookie_secure: bool = False
    """Send cookies over HTTPS only; set to true behind TLS."""
    audit_key: str = ""
    """Keys the audit chain and signs its checkpoints (HMAC-SHA256); empty means a random key
    kept in ``var/audit_key``. Keep it off the database server and back it up apart from
    the database: without it the trail cannot be verified."""
    audit_legacy_until: int = 0
    """Audit records up to this number were written before the chain was keyed and are
    checked by their plain SHA-256; 0 for installations that began keyed."""
    map_tiles: str = ""
    """Basemap of the one map: an XYZ tile address such as
    ``https://tiles.intranet/{z}/{x}/{y}.png``; empty draws the map without one."""
    public_url: str = ""
    """Where people and GIS clients reach the platform, such as ``https://yunong.example.cn``;
    absolute links (OGC paging, scan addresses) start with it, never with the request's
    ``Host`` header. Empty means ``https://`` and the public domain."""
    trusted_proxies: str = ""
    """Addresses or networks (comma-separated, such as ``10.0.0.5,10.1.0.0/16``) of the
    reverse proxies whose ``X-Forwarded-For`` names the client; empty trusts none."""
    workers: int = 0
    """Server processes of ``yunong serve``; 0 means one per CPU core."""
    request_slots: int = 8
    """Requests one server process works on at once; the database pool is sized to match.
    More only make the running ones share the process's one core (Python runs one thread at
    a time): on the 2-core project machine 8 served as many requests a second as 16, with
    half the slowest waits."""
    request_wait_seconds: float = 10.0
    """How long a request may wait for a slot or a database connection before it is answered
    503 with ``Retry-After``."""
    redis_url: str = ""
    """Redis for the rate limits shared by the server processes, such as
    ``redis://127.0.0.1:6379/0``; empty keeps them in the database."""
    upload_max_mb: int = 20
    """Largest file a page upload or a command import accepts."""
    upload_max_unzipped_mb: int = 100
    """Largest total a workbook (a zip inside) may unpack to."""
    upload_max_ratio: int = 100
    """Largest unpacked-to-packed ratio of any member of a workbook; zip bombs run to
    thousands."""
    upload_max_rows: int = 100_000
    """Most rows an uploaded or imported table may have."""
    upload_max_cells: int = 2_000_000
    """Most cells an uploaded or imported table may have."""
    upload_seconds: int = 60
    """How long reading one uploaded file may take before it is stopped."""

    def database_url(self) -> str:
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.var_dir / 'yunong.db').resolve()}"

    def public_base_url(self) -> str:
        """The platform's public address without a trailing slash."""
        return (self.public_url or f"https://{self.public_domain}").rstrip("/")

    def upload_limits(self) -> FileLimits:
        return FileLimits.of(
            max_mb=self.upload_max_mb,
            max_unzipped_mb=self.upload_max_unzipped_mb,
            max_ratio=self.upload_max_ratio,
            max_rows=self.upload_max_rows,
            max_cells=self.upload_max_cells,
        )

    def signing_key(self) -> str:
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
