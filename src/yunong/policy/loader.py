"""Load and validate policy packs; a broken pack is refused naming file, path and reason.

A pack is also refused when it presents as the seed's a number or a text the seed does not
have (see :mod:`yunong.policy.provenance`)."""

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from yunong.core.errors import InvalidValue
from yunong.policy import provenance
from yunong.policy.schema import Pack
from yunong.policy.seed import SEEDS

PACKS = Path(__file__).parent / "packs"
DEFAULT_PACK = "chongqing_2024"


class UniqueKeyLoader(yaml.SafeLoader):
    """YAML keeps the last of two equal keys without a word; a pack must not."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise DuplicateKey(f"第 {line} 行：“{key}”重复")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class DuplicateKey(yaml.YAMLError):
    pass


def load_file(path: Path) -> Pack:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)  # noqa: S506
    except DuplicateKey as error:
        raise InvalidValue(f"策略包 {path.name} 的{error}") from None
    except (OSError, yaml.YAMLError) as error:
        raise InvalidValue(f"策略包 {path.name} 无法读取：{error}") from None
    try:
        pack = Pack.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "（顶层）"
        reason = first["msg"].removeprefix("Value error, ")
        raise InvalidValue(f"策略包 {path.name} 的 {where}：{reason}") from None
    if not (SEEDS / pack.seed).is_file():
        raise InvalidValue(f"策略包 {path.name} 依据的实施意见原文 {pack.seed} 不在 {SEEDS} 中")
    problems = provenance.unsupported(pack)
    if problems:
        raise InvalidValue(f"策略包 {path.name} 的 {problems[0]}")
    return pack


@cache
def get(pack_id: str = DEFAULT_PACK) -> Pack:
    """A shipped pack by id, loaded once."""
    path = PACKS / f"{pack_id}.yaml"
    if not path.exists():
        raise InvalidValue(f"没有策略包 {pack_id}")
    return load_file(path)
