"""Typed settings, read from the environment with the ``YUNONG_`` prefix."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

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

    def database_url(self) -> str:
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.var_dir / 'yunong.db').resolve()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
