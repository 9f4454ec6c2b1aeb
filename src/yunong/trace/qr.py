"""QR codes of batch addresses (segno), as PNG or SVG files or as data URIs for pages and PDFs."""

import io
from pathlib import Path

import segno

from yunong.core.errors import InvalidValue

ERROR_LEVEL = "m"
"""Level M survives a label that is a little scuffed or creased (about 15 % of the code)."""


def make(address: str) -> segno.QRCode:
    return segno.make(address, error=ERROR_LEVEL, micro=False)


def write(address: str, path: Path, *, scale: int = 8) -> None:
    """Write the address's QR code to ``path``: ``.png`` or ``.svg``."""
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise InvalidValue(f"二维码文件“{path.name}”应以 .png 或 .svg 结尾")
    path.parent.mkdir(parents=True, exist_ok=True)
    make(address).save(str(path), kind=suffix[1:], scale=scale, border=4)


def png_bytes(address: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    make(address).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def svg_text(address: str, *, scale: int = 8) -> str:
    out = io.BytesIO()
    make(address).save(out, kind="svg", scale=scale, border=4, xmldecl=False)
    return out.getvalue().decode()


def svg_data_uri(address: str) -> str:
    """The QR code as an SVG data URI that scales to any label size without blurring."""
    return make(address).svg_data_uri(scale=4, border=2)
