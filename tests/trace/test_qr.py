"""Every QR image the module writes decodes, with a real decoder, to exactly its address."""

import io

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from weasyprint import HTML

from tests.trace.factories import add_batch, make_trace_world
from yunong.core.errors import InvalidValue
from yunong.trace import batches, qr


def decode_png(data: bytes) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))]


def decode_svg(svg: str) -> list[str]:
    """Rasterise the SVG through a real renderer (WeasyPrint, then PDFium) and decode it."""
    pdf = HTML(string=f'<body style="margin:10mm">{svg}</body>').write_pdf()
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=200 / 72).to_pil()
    return [found.text for found in zxingcpp.read_barcodes(image)]


ADDRESSES = [
    "https://yunong.example.cn/01/06901234567892/10/SP2024-11",
    "https://yunong.example.cn/01/06901234567892/10/A%2F1%25",
    "https://yunong.example.cn/c/T500101108201000001X",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_png_decodes_to_the_address(address):
    assert decode_png(qr.png_bytes(address)) == [address]


@pytest.mark.parametrize("address", ADDRESSES)
def test_svg_decodes_to_the_address(address):
    assert decode_svg(qr.svg_text(address)) == [address]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_written_files_of_real_batches_decode_to_their_addresses(session, tmp_path, suffix):
    world = make_trace_world(session)
    for product in (world.product, world.plain_product):
        batch = add_batch(session, product)
        path = tmp_path / f"{batch.code}{suffix}"
        qr.write(batches.address(batch), path)
        found = decode_png(path.read_bytes()) if suffix == ".png" else decode_svg(path.read_text())
        assert found == [batches.address(batch)]


def test_another_file_type_is_refused(tmp_path):
    with pytest.raises(InvalidValue, match=r"\.png 或 \.svg"):
        qr.write(ADDRESSES[0], tmp_path / "code.jpg")
