"""Official document numbers (发文字号) such as 国发〔2021〕23号.

A document number is an issuer code, the year in brackets, a serial number
and 号 (GB/T 9704-2012 *Layout key for official documents of Party and
government organs*, §7.2.4: the year is enclosed in hexagonal brackets 〔〕).
In the wild the brackets vary (``[]``, ``【】``, ``()``, ``（）``, ``［］``,
``〖〗``) and digits may be full-width; the normalised form used by
``pkg:documentNumber`` (see ``ontology/policykg.ttl``) has ASCII square
brackets and ASCII digits, e.g. ``发改能源[2024]123号``. The raw string is
kept in ``pkg:documentNumberRaw``.

English-language briefings often give the number romanised instead, the
issuer code in pinyin (or an English abbreviation), the year in brackets
and "No." before the serial: ``Fa Gai Neng Yuan [2024] No. 123``,
``Guo Ban Fa (2021) No. 23``, itself often in brackets after the title.
:data:`ROMANISED_NUMBER` finds that form (it has no Chinese issuer code, so
it is not normalised; :mod:`loaders.briefing` uses it to end a title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ROMANISED_NUMBER", "DocumentNumber", "find_document_numbers", "normalise_document_number"]

_OPEN = "〔[【(（［〖"
_CLOSE = "〕]】)）］〗"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_PATTERN = re.compile(
    r"(?P<code>[\u4e00-\u9fff]{1,16})\s*[" + re.escape(_OPEN) + r"]\s*(?P<year>[0-9０-９]{4})\s*["
    + re.escape(_CLOSE) + r"]\s*(?P<serial>[0-9０-９]{1,6})\s*号")


#: One Hanyu Pinyin syllable without tone marks (initial + final; ISO 7098): the code words of a
#: romanised issuer code are such syllables ("Fa Gai Neng Yuan", "Guobanfa").
_PINYIN_SYLLABLE = (r"(?:er|(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
                    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|ia|ie|iu|"
                    r"ua|uo|ui|un|ue|ve|a|o|e|i|u|v))")
#: A code word: a capitalised word of one to four pinyin syllables, or an acronym ("NDRC").
_CODE_WORD = r"(?:(?=[A-Z])(?i:" + _PINYIN_SYLLABLE + r"){1,4}|[A-Z]{2,8})(?![\w-])"
#: A romanised document number: one to eight code words, the year in brackets, "No." and the serial,
#: either in brackets ("[Fa Gai Neng Yuan (2025) No. 12]", "(NDRC Energy [2024] No. 5)": any capitalised
#: code words) or bare ("Guo Ban Fa [2025] No. 7": pinyin or acronym code words only, so that the title
#: words before it are not taken in).
ROMANISED_NUMBER = re.compile(
    r"(?:[" + re.escape(_OPEN) + r"]\s*(?:[A-Z][A-Za-z]{0,11}\s+){1,8}|(?:" + _CODE_WORD + r"\s+){1,8})["
    + re.escape(_OPEN) + r"]\s*[0-9０-９]{4}\s*[" + re.escape(_CLOSE) + r"]\s*No\.?\s*[0-9０-９]{1,6}(?:\s*["
    + re.escape(_CLOSE) + r"])?")


@dataclass(frozen=True)
class DocumentNumber:
    """A document number found in text: ``raw`` as written, ``normalised``, and its offsets."""

    raw: str
    normalised: str
    start: int
    end: int


def normalise_document_number(raw: str) -> str | None:
    """The normalised form of a document number, or ``None`` if ``raw`` is not one.

    >>> normalise_document_number("国发〔2021〕23号")
    '国发[2021]23号'
    >>> normalise_document_number("发改能源（２０２４）０１２３号")
    '发改能源[2024]123号'
    >>> normalise_document_number("Notice 23") is None
    True
    """
    m = _PATTERN.fullmatch(raw.strip())
    if m is None:
        return None
    year = m.group("year").translate(_FULLWIDTH)
    serial = int(m.group("serial").translate(_FULLWIDTH))
    return f"{m.group('code')}[{year}]{serial}号"


def find_document_numbers(text: str, base_offset: int = 0) -> list[DocumentNumber]:
    """Every document number in ``text``, with offsets shifted by ``base_offset``."""
    out = []
    for m in _PATTERN.finditer(text):
        normalised = normalise_document_number(m.group(0))
        if normalised is not None:
            out.append(DocumentNumber(m.group(0), normalised, base_offset + m.start(), base_offset + m.end()))
    return out
