"""Load and validate policy packs; a broken pack is refused naming file, path and reason."""

from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from yunong.core.errors import InvalidValue
from yunong.policy.schema import Pack

PACKS = Path(__file__).parent / "packs"
DEFAULT_PACK = "chongqing_2024"


def load_file(path: Path) -> Pack:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise InvalidValue(f"策略包 {path.name} 无法读取：{error}") from None
    try:
        return Pack.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "（顶层）"
        raise InvalidValue(f"策略包 {path.name} 的 {where}：{first['msg']}") from None


@cache
def get(pack_id: str = DEFAULT_PACK) -> Pack:
    """A shipped pack by id, loaded once."""
    path = PACKS / f"{pack_id}.yaml"
    if not path.exists():
        raise InvalidValue(f"没有策略包 {pack_id}")
    return load_file(path)
