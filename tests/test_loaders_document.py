"""Reading files: supported kinds, bad inputs (errors name the file), text read like ``read_text``."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders import extract
from loaders.document import decode_text, read_document
from policykg.errors import InputError, PayloadTooLarge, UnsupportedFormat
from policykg.vocab import Minter

from test_loaders_linking import reference_graph


@pytest.mark.parametrize("name, data, error", [
    ("empty.txt", b"", InputError),
    ("blank.txt", b"  \n\n  \n", InputError),
    ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 10, InputError),
    ("latin1.txt", "Notice on Caf\xe9 Energy\n".encode("latin-1"), InputError),
    ("briefing.docx", b"PK\x03\x04 not supported", UnsupportedFormat),
    ("noext", b"text", UnsupportedFormat),
    ("empty.html", b"", InputError),
    ("empty.pdf", b"", InputError),
])
def test_bad_inputs_raise_input_error_naming_the_file(tmp_path: Path, name: str, data: bytes, error) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error) as info:
        extract(path, Minter(), reference=reference_graph())
    assert name in str(info.value)
    assert isinstance(info.value, InputError)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        extract(tmp_path / "nothere.txt", Minter(), reference=reference_graph())
    assert "nothere.txt" in str(info.value)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Notice on Things aims to test.\n" * 100, encoding="utf-8")
    with pytest.raises(PayloadTooLarge) as info:
        extract(path, Minter(), reference=reference_graph(), max_bytes=100)
    assert "big.txt" in str(info.value)


def test_wrong_encoding_names_line_and_column() -> None:
    with pytest.raises(InputError) as info:
        decode_text(b"first line\nsecond \xff line\n", "x.txt")
    assert info.value.line == 2 and info.value.column == 8
    assert str(info.value).startswith("x.txt:2:8:")


def test_text_is_read_like_read_text(tmp_path: Path) -> None:
    raw = "\ufeff Notice on Line Endings aims to test.\r\nSecond line\rthird line\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw.encode("utf-8"))
    doc = read_document(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert "\r" not in doc.text


def test_offsets_agree_with_read_text_on_crlf_file(tmp_path: Path) -> None:
    from test_loaders_briefing import SYNTHETIC
    from policykg.vocab import OA
    path = tmp_path / "epm-crlf.txt"
    path.write_bytes(SYNTHETIC.replace("\n", "\r\n").encode("utf-8"))
    ex = extract(path, Minter(), reference=reference_graph())
    text = path.read_text(encoding="utf-8")
    assert ex.text == text
    g = ex.graph
    spans = list(g.subjects(OA.hasSource, ex.document))
    assert spans
    for s in spans:
        assert text[int(g.value(s, OA.start)):int(g.value(s, OA.end))] == str(g.value(s, OA.exact))


def test_slug_from_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "My Briefing 2025_06.txt"
    path.write_text(" Notice on Slugs in File Names aims to test slugs.\n", encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    assert str(ex.document).endswith("/id/briefing/my-briefing-2025-06")
    assert ex.stats["policies"] == 1


def test_run_bounded_times_out_and_propagates() -> None:
    import time
    from loaders.document import run_bounded
    with pytest.raises(InputError) as info:
        run_bounded(lambda: time.sleep(2), 0.05, "slow.pdf", "PDF text extraction")
    assert "slow.pdf" in str(info.value) and "time limit" in str(info.value)
    assert run_bounded(lambda: 41 + 1, 5, "x", "y") == 42
    with pytest.raises(ZeroDivisionError):
        run_bounded(lambda: 1 / 0, 5, "x", "y")


def test_bom_only_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff\n".encode("utf-8"))
    with pytest.raises(InputError) as info:
        extract(path, Minter(), reference=reference_graph())
    assert "bom.txt" in str(info.value)


def test_control_characters_never_reach_the_graph(tmp_path: Path) -> None:
    path = tmp_path / "ctl.txt"
    raw = " Notice on Terminal\x1b[31m Escapes in Titles aims to test.\n\u202eMore text here.\n"
    path.write_text(raw, encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    assert len(ex.text) == len(path.read_text(encoding="utf-8"))
    nt = ex.graph.serialize(format="nt")
    assert "\x1b" not in nt and "\u202e" not in nt


# --- paths that are not regular files; text encodings named by a byte-order mark


def test_a_path_that_is_not_a_file_is_named_for_what_it_is(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "folder.txt"
    folder.mkdir()
    (folder / "inside.pdf").write_bytes(b"%PDF-1.4")
    os.symlink(tmp_path / "b.txt", tmp_path / "a.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    want = {"folder.txt": "a directory", "a.txt": "symbolic link loop", "dangling.txt": "symbolic link to a missing",
            "pipe.txt": "named pipe", "absent.txt": "no such file"}
    for name, what in want.items():
        with pytest.raises(InputError) as info:
            read_document(tmp_path / name)  # a FIFO must not block: nothing is opened
        assert str(info.value).startswith(str(tmp_path / name) + ":"), str(info.value)
        assert what in str(info.value), str(info.value)
    with pytest.raises(InputError) as info:
        read_document(folder)
    assert "inside.pdf" in str(info.value)


@pytest.mark.parametrize("encoding, label", [("utf-16-le", "UTF-16 (little-endian)"),
                                             ("utf-16-be", "UTF-16 (big-endian)"),
                                             ("utf-32-le", "UTF-32 (little-endian)"),
                                             ("utf-32-be", "UTF-32 (big-endian)")])
def test_a_bom_names_the_encoding_of_a_text_that_is_not_utf8(encoding: str, label: str) -> None:
    data = "\ufeffNotice on Byte Order aims to test.\n".encode(encoding)
    with pytest.raises(InputError) as info:
        decode_text(data, "bom.txt")
    assert str(info.value).startswith("bom.txt:") and label in str(info.value) and "UTF-8" in str(info.value)
    assert "NUL" not in str(info.value)


def test_a_utf8_bom_is_kept_and_the_text_read() -> None:
    assert decode_text("\ufeffNotice\n".encode("utf-8"), "x.txt") == "\ufeffNotice\n"
