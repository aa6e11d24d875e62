"""Pure HTTP content negotiation (no FastAPI import).

Implements proactive negotiation on the ``Accept`` request header as
specified by RFC 9110 §12.5.1 (and the quality values of §12.4.2):

* a header is a comma-separated list of media ranges, each with optional
  parameters and an optional ``q`` weight (0 to 1, at most 3 decimals);
* ``*/*`` and ``type/*`` wildcards match any subtype;
* the most specific range that matches an offered type decides its weight
  (``text/html;level=1`` > ``text/html`` > ``text/*`` > ``*/*``), whatever
  the order of the header;
* ``q=0`` means "not acceptable" and excludes the type even if a wildcard
  would accept it;
* an absent or empty header means "anything" (``*/*``), and so does one
  with no well-formed media range;
* among equally weighted offers, the server's order of preference (the
  order of ``offered``) wins;
* parameters of a range must be present in the offer, except two whose
  absence has a known meaning: policykg writes every text in UTF-8, so an
  offer without ``charset`` satisfies ``charset=utf-8`` (names compared
  ignoring case, RFC 9110 §8.3.2) and no other charset; and the JSON-LD
  ``profile`` parameter is a request the server may satisfy as it can
  (JSON-LD 1.1 §9.1: policykg sends compacted JSON-LD when that loses no
  triple), so it does not exclude ``application/ld+json``.
"""

from __future__ import annotations

import functools

from dataclasses import dataclass, field

__all__ = ["MediaRange", "parse_accept", "choose", "quality"]

_UTF8 = frozenset({"utf-8", "utf8"})


@dataclass(frozen=True)
class MediaRange:
    """One ``Accept`` entry: ``type/subtype`` (lower case), its parameters and weight ``q`` in [0, 1]."""

    type: str
    subtype: str
    params: tuple[tuple[str, str], ...] = field(default=())
    q: float = 1.0
    order: int = 0

    @property
    def specificity(self) -> int:
        """3 for type/subtype with parameters, 2 for type/subtype, 1 for type/*, 0 for */*."""
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 3 if self.params else 2

    def matches(self, media_type: str) -> bool:
        """True when this range covers ``media_type`` (a ``type/subtype[;params]`` string)."""
        mtype, msub, mparams = _split_type(media_type)
        if self.type != "*" and self.type != mtype:
            return False
        if self.subtype != "*" and self.subtype != msub:
            return False
        # RFC 9110: parameters in the range must all be present in the offer, with two readings of
        # what an offer without them means here (see the module docstring).
        offered = dict(mparams)
        for k, v in self.params:
            if k == "charset" and "charset" not in offered:
                if v.lower() not in _UTF8:
                    return False
            elif k == "profile" and "profile" not in offered and (mtype, msub) == ("application", "ld+json"):
                continue
            elif k == "charset" and offered[k].lower() != v.lower():  # charset names ignore case (§8.3.2)
                return False
            elif k != "charset" and offered.get(k) != v:
                return False
        return True


def _split_type(media_type: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    parts = [p.strip() for p in media_type.split(";")]
    full = parts[0].lower()
    if "/" in full:
        mtype, msub = (s.strip() for s in full.split("/", 1))
    else:
        mtype, msub = full, ""
    params = []
    for p in parts[1:]:
        if "=" in p:
            k, v = p.split("=", 1)
            params.append((k.strip().lower(), v.strip().strip('"')))
    return mtype, msub, tuple(params)


def _parse_q(value: str) -> float | None:
    try:
        q = float(value)
    except ValueError:
        return None
    if not 0.0 <= q <= 1.0:
        return None
    return q


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an ``Accept`` header into media ranges, in header order.

    Malformed entries (no ``/``, a non-numeric or out-of-range ``q``) are
    skipped rather than failing the request, as RFC 9110 recommends
    robustness here. Parameters after ``q`` (accept-ext) are ignored.
    An absent or blank header gives ``[*/*;q=1]``, and so does one with no
    well-formed entry (``text/html;q=high``): it is ignored as a whole, as
    §12.5.1 allows, rather than read as "nothing is acceptable" (406).
    """
    if header is None or not header.strip():
        return [MediaRange("*", "*")]
    ranges: list[MediaRange] = []
    for order, item in enumerate(header.split(",")):
        item = item.strip()
        if not item:
            continue
        pieces = [p.strip() for p in item.split(";")]
        full = pieces[0].lower()
        if full == "*":  # seen from some old clients: treat as */*
            full = "*/*"
        if full.count("/") != 1:
            continue
        mtype, msub = (s.strip() for s in full.split("/"))
        if not mtype or not msub or (mtype == "*" and msub != "*"):
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        bad = False
        for p in pieces[1:]:
            if "=" not in p:
                continue
            k, v = p.split("=", 1)
            k = k.strip().lower()
            v = v.strip().strip('"')
            if k == "q":
                parsed = _parse_q(v)
                if parsed is None:
                    bad = True
                q = parsed if parsed is not None else 0.0
                break  # accept-ext after q are not media type parameters
            params.append((k, v))
        if bad:
            continue
        ranges.append(MediaRange(mtype, msub, tuple(params), q, order))
    return ranges or [MediaRange("*", "*")]


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """The weight the client gives ``media_type``: that of the most specific matching range, else 0.

    When several equally specific ranges match (duplicates such as
    ``text/csv;q=0.5, text/csv``), the highest weight among them is used.
    """
    best_spec = -1
    best_q = 0.0
    for r in ranges:
        if not r.matches(media_type):
            continue
        spec = r.specificity
        if spec > best_spec:
            best_spec, best_q = spec, r.q
        elif spec == best_spec:
            best_q = max(best_q, r.q)
    return best_q if best_spec >= 0 else 0.0


def choose(accept_header: str | None, offered_media_types: list[str] | tuple[str, ...]) -> str | None:
    """Pick the offered media type the client prefers, or None if none is acceptable (→ 406).

    ``accept_header`` is the raw ``Accept`` value (None or "" = accept
    anything); ``offered_media_types`` are the server's types in its own
    order of preference (first = default for ``*/*``). Returns one element
    of ``offered_media_types`` exactly as given, or None when every offer
    has weight 0 (RFC 9110 §12.5.1: not acceptable).

    Examples::

        choose("text/turtle;q=0.9, application/ld+json", ["text/turtle", "application/ld+json"])
        -> "application/ld+json"
        choose("application/json, */*;q=0.1", ["text/turtle", "application/json"]) -> "application/json"
        choose("text/*;q=0, */*", ["text/csv", "application/json"]) -> "application/json"
        choose("image/png", ["text/turtle"]) -> None
    """
    offers = tuple(offered_media_types)
    if accept_header is None or len(accept_header) <= _CACHED_HEADER_CHARS:
        return _choose_cached(accept_header, offers)
    return _choose(accept_header, offers)


#: ``Accept`` values up to this length have their choice cached (clients repeat theirs on every request).
_CACHED_HEADER_CHARS = 512


def _choose(accept_header: str | None, offered_media_types: tuple[str, ...]) -> str | None:
    ranges = parse_accept(accept_header)
    best: str | None = None
    best_q = 0.0
    for offer in offered_media_types:
        q = quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best


_choose_cached = functools.lru_cache(maxsize=1024)(_choose)
