"""Sixth attacking review: memory of ``policykg restore`` (a gzip bomb, a dump larger than memory) and image
streams of PDFs given to ``policykg extract`` (docs/reliability.md, defects 66-67).

Inputs are generated in ``tmp_path``; each test runs in a few seconds. Peak memory is measured in a child
process (``ru_maxrss`` after minus before the command), so that Rust allocations (Oxigraph, pdfminer's
zlib) count as well as Python's.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pytest

from policykg.errors import InputError
from policykg.settings import Settings
from policykg.store import OxigraphStore
from tests.sparql_helpers import small_store

ROOT = Path(__file__).resolve().parent.parent


def _cli():
    from typer.testing import CliRunner

    from policykg.cli import app

    return CliRunner(), app


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _peak_growth_mb(argv: list[str]) -> tuple[int, str, float]:
    """Run ``policykg <argv>`` in a child process; its exit code, its output and the growth of its peak
    resident set (MB) over what importing the CLI already took."""
    script = textwrap.dedent(f"""
        import json, resource, sys
        from typer.testing import CliRunner
        from policykg.cli import app
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = CliRunner().invoke(app, {argv!r})
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps([result.exit_code, result.output, (after - before) / 1024]))
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    code, output, growth = json.loads(done.stdout.strip().splitlines()[-1])
    return code, output, growth


def _small_store(path: Path, graphs: int = 5, triples: int = 40) -> None:
    small_store(path, graphs, triples, blank_nodes=True)


def _dump(path: Path) -> bytes:
    with OxigraphStore(path, Settings().base_iri) as st:
        return b"".join(sorted(st.dump_nquads().splitlines(keepends=True)))


# --------------------------------------------------------------------------------------------------
# restore: defect 66


def test_a_gzip_bomb_given_to_restore_costs_no_memory_of_its_inflated_size(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _small_store(store)
    before = _dump(store)
    bomb = tmp_path / "bomb.nq.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as f:  # 320 kB on disk, 320 MB inflated
        zeros = bytes(1 << 20)
        for _ in range(320):
            f.write(zeros)
    code, output, growth = _peak_growth_mb(["restore", str(bomb), "--store", str(store)])
    assert code == 2, output
    assert "bomb.nq.gz" in _one_line(output) and "nothing changed" in output, output
    assert growth < 100, f"restore of a 320 MB gzip bomb grew the peak RSS by {growth:.0f} MB"
    assert _dump(store) == before


def test_restore_streams_a_dump_in_batches_and_keeps_blank_node_labels(tmp_path: Path, monkeypatch) -> None:
    from policykg import store as store_module

    monkeypatch.setattr(store_module, "RESTORE_BATCH_QUADS", 50)  # 402 quads: 9 batches
    runner, app = _cli()
    source, copy = tmp_path / "source", tmp_path / "copy"
    _small_store(source)
    dump = tmp_path / "backup.nq.gz"
    assert runner.invoke(app, ["dump", str(dump), "--store", str(source)]).exit_code == 0
    result = runner.invoke(app, ["restore", str(dump), "--store", str(copy)])
    assert result.exit_code == 0, result.output
    quads = len(_dump(source).splitlines())  # 400 + the data version
    assert f"restored {quads} quads" in _one_line(result.output), result.output
    assert _dump(copy) == _dump(source)  # blank-node labels too: the dump is compared byte for byte


@pytest.mark.parametrize("damage", ["checksum", "count", "syntax"])
def test_a_dump_that_fails_its_check_after_several_batches_leaves_the_store_as_it_was(
        tmp_path: Path, monkeypatch, damage: str) -> None:
    import hashlib

    from policykg import store as store_module

    monkeypatch.setattr(store_module, "RESTORE_BATCH_QUADS", 50)
    runner, app = _cli()
    store, other = tmp_path / "store", tmp_path / "other"
    _small_store(store, graphs=2)
    _small_store(other, graphs=6, triples=30)
    dump = tmp_path / "other.nq"
    assert runner.invoke(app, ["dump", str(dump), "--store", str(other)]).exit_code == 0
    lines = dump.read_bytes().splitlines(keepends=True)
    body, count = b"".join(lines[:-1]), len(lines) - 1
    if damage == "checksum":  # one literal changed near the end: every batch before it is loaded
        body = body[:-200] + body[-200:].replace(b"policy", b"POLICY", 1)
        sealed = body + lines[-1]
    elif damage == "count":  # a trailer whose checksum is right and whose count is not
        sealed = body + b"# policykg dump: %d quads, sha256 %s\n" % (count + 1, hashlib.sha256(body).hexdigest().encode())
    else:  # a sealed file with a broken line near the end
        body = body[:-100] + b"<oops\n"
        bad_line = body.count(b"\n")
        sealed = body + b"# policykg dump: %d quads, sha256 %s\n" % (count, hashlib.sha256(body).hexdigest().encode())
    dump.write_bytes(sealed)
    before = _dump(store)
    result = runner.invoke(app, ["restore", str(dump), "--store", str(store)])
    assert result.exit_code == 2, result.output
    message = _one_line(result.output)
    assert "other.nq" in message and "nothing changed" in message, message
    expected = {"checksum": "checksum does not match", "count": f"states {count + 1} quads but holds {count}",
                "syntax": f"other.nq:{bad_line if damage == 'syntax' else 0}:"}[damage]
    assert expected in message, message
    assert _dump(store) == before
    assert not (tmp_path / "store.restoring").exists()


# --------------------------------------------------------------------------------------------------
# PDF image streams: defect 67

_TEXT = (b"BT /F1 12 Tf 40 700 Td (Notice on Promoting Energy Storage Development aims to regulate the grid access "
         b"of new energy storage.) Tj ET\n")


def _deflated(megabytes: int, byte: bytes = b"\0") -> bytes:
    c = zlib.compressobj(9)
    block = byte * (1 << 20)
    return b"".join(c.compress(block) for _ in range(megabytes)) + c.flush()


def _stream(entries: bytes, data: bytes) -> bytes:
    return b"<< " + entries + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _image(data: bytes, side: int = 4096) -> bytes:
    return _stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                   b"/BitsPerComponent 8 /Filter /FlateDecode" % (side, side), data)


def _page_pdf(page_extra: bytes, contents: bytes, font: bytes, *more: bytes) -> bytes:
    """Objects: 1 catalog, 2 pages, 3 page (``page_extra`` in its dictionary), 4 content stream ``contents``,
    5 font ``font``, then ``more`` from 6."""
    from pdf_helpers import pdf_file

    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + page_extra + b" >>",
                     _stream(b"", contents), font, *more])


def test_an_image_xobject_bomb_costs_no_memory_or_time_in_extract(tmp_path: Path) -> None:
    """Measured, not assumed: an image XObject that inflates to 400 MB, drawn on the page (``Do``), is not
    decoded by pdfminer or pdfplumber when the text is extracted, so it need not count against the bound."""
    from pdf_helpers import HELVETICA

    pdf = tmp_path / "image.pdf"
    pdf.write_bytes(_page_pdf(b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject 7 0 R >>",
                              _TEXT + b"q 200 0 0 200 100 300 cm /Im1 Do Q\n", HELVETICA,
                              _image(_deflated(400), side=20480), b"<< /Im1 6 0 R >>"))
    assert pdf.stat().st_size < 500_000
    started = time.monotonic()
    code, output, growth = _peak_growth_mb(["extract", str(pdf), "--format", "nquads"])
    assert code == 0, output
    assert "Notice on Promoting Energy Storage Development" in output
    assert growth < 100, f"extract of a PDF with a 400 MB image grew the peak RSS by {growth:.0f} MB"
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("use", ["contents", "tounicode", "fontfile2"])
def test_a_stream_that_says_it_is_an_image_but_is_decoded_for_text_is_bounded(tmp_path: Path, use: str) -> None:
    """A stream labelled ``/Subtype /Image`` that the page uses where pdfminer decodes it (a content stream,
    a ``/ToUnicode`` CMap, an embedded font) was skipped by the bomb check and inflated whole by pdfminer:
    a 300 kB PDF took 620 MB."""
    from pdf_helpers import HELVETICA

    from loaders.pdf import check_pdf

    bomb = _image(_deflated(3, b" "))
    resources = b"/Resources << /Font << /F1 5 0 R >> >>"
    if use == "contents":
        pdf = _page_pdf(b"/Contents [4 0 R 6 0 R] " + resources, _TEXT, HELVETICA, bomb)
    elif use == "tounicode":
        pdf = _page_pdf(b"/Contents 4 0 R " + resources, _TEXT,
                        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>", bomb)
    else:
        pdf = _page_pdf(b"/Contents 4 0 R " + resources, _TEXT,
                        b"<< /Type /Font /Subtype /TrueType /BaseFont /Demo /FontDescriptor 7 0 R >>", bomb,
                        b"<< /Type /FontDescriptor /FontName /Demo /FontFile2 6 0 R >>")
    with pytest.raises(InputError, match="decompression bomb") as caught:
        check_pdf(pdf, "labelled.pdf", max_stream_bytes=2_000_000)
    assert "stream object 6" in str(caught.value)
    # the same image drawn with Do, and nowhere else, is still not counted
    honest = _page_pdf(b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >>",
                       _TEXT + b"/Im1 Do\n", HELVETICA, bomb)
    assert check_pdf(honest, "honest.pdf", max_stream_bytes=2_000_000) < 1_000_000


def test_extract_of_a_content_stream_labelled_as_an_image_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    from pdf_helpers import HELVETICA

    pdf = tmp_path / "labelled.pdf"
    pdf.write_bytes(_page_pdf(b"/Contents [4 0 R 6 0 R] /Resources << /Font << /F1 5 0 R >> >>", _TEXT,
                              HELVETICA, _image(_deflated(300, b" "))))
    code, output, growth = _peak_growth_mb(["extract", str(pdf)])
    assert code == 2, output
    assert "labelled.pdf" in output and "decompression bomb" in output, output
    assert growth < 100, f"a 300 kB PDF grew the peak RSS by {growth:.0f} MB"
