"""Attacks on the session's additions (round 7): canned-query resource parameters, streamed restore,
curated entries, briefing metadata, serve's busy-port check, loader rules. Each test is one defect
that reproduced; fixed ones pass, unfixed ones are strict xfails naming what is wrong."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from policykg.errors import InputError, StoreError
from policykg.store import OxigraphStore, restore_store, seal_dump

BODY = b'<http://ex/a> <http://ex/p> "one" <https://w3id.org/policykg/graph/x> .\n'


def _stored(path: Path) -> bytes:
    s = ox.Store(str(path))
    try:
        return s.dump(format=ox.RdfFormat.N_QUADS)
    finally:
        del s


# -- restore ------------------------------------------------------------------------------------------------

def test_restore_checks_a_crlf_trailer_even_unchecked(tmp_path):
    """A dump converted to CRLF (and then edited) kept its trailer, but the trailer was not recognised:
    checked, it was called 'cut short'; with --unchecked the altered dump was restored although the
    docstring says a trailer present is checked in any case."""
    target = tmp_path / "store"
    restore_store(target, seal_dump(BODY))
    tampered = seal_dump(BODY).replace(b"one", b"two").replace(b"\n", b"\r\n")
    for require in (True, False):
        with pytest.raises(InputError, match="checksum"):
            restore_store(target, tampered, require_trailer=require)
    assert b'"one"' in _stored(target)


def test_restore_accepts_blank_space_after_the_trailer(tmp_path):
    """An intact dump with an extra newline (or a space) after its trailer was refused as cut short."""
    target = tmp_path / "store"
    dump = seal_dump(BODY)
    assert restore_store(target, dump + b"\n") == 1
    assert restore_store(target, dump[:-1] + b" \n\n") == 1


def test_restore_of_a_statement_over_16_mib_is_an_input_error_and_leaves_nothing(tmp_path, monkeypatch):
    """pyoxigraph's parser stops at a 16 MiB statement with MemoryError: restore crashed with it
    (a traceback, not a message) and left the '.restoring' directory behind."""
    target = tmp_path / "store"
    restore_store(target, seal_dump(BODY))
    big = b'<http://ex/a> <http://ex/p> "' + b"x" * (17 << 20) + b'" <http://ex/g> .\n'
    with pytest.raises(InputError, match="longer than"):
        restore_store(target, seal_dump(big), source="big.nq")
    assert not (tmp_path / "store.restoring").exists()
    assert b'"one"' in _stored(target)


def test_restore_holds_the_store_while_the_dump_loads(tmp_path):
    """The store's lock was checked once, before a load that can take minutes: a 'serve' started
    meanwhile opened the store, whose directory was then renamed and removed under it (the server
    went on with deleted files while restore reported success)."""
    target = tmp_path / "store"
    restore_store(target, seal_dump(BODY))
    opened: list[object] = []

    class Reader:
        def __init__(self, data: bytes):
            self._b = io.BytesIO(data)

        def read(self, n: int = -1) -> bytes:
            if not opened:
                try:
                    opened.append(OxigraphStore(target, "https://w3id.org/policykg/"))
                except StoreError as exc:
                    opened.append(exc)
            return self._b.read(n)

    assert restore_store(target, Reader(seal_dump(BODY.replace(b"one", b"two")))) == 1
    assert isinstance(opened[0], StoreError), "another process could open the store during the restore"
    assert b'"two"' in _stored(target)


# -- briefing metadata ---------------------------------------------------------------------------------------

def test_a_date_near_the_top_that_the_content_refutes_is_not_the_briefings_date(tmp_path):
    """A short early line naming another date ("Follow-up to the June 2023 issue") was taken for the
    masthead: the briefing was dated June 2023 although it reports documents of 2025 (the file name's
    date is refuted by them; the masthead's was not checked)."""
    from rdflib import Literal
    from rdflib.namespace import DCTERMS, XSD

    from loaders import extract
    from policykg.vocab import Minter
    from test_loaders_briefing import SYNTHETIC
    from test_loaders_linking import reference_graph

    path = tmp_path / "epm-2025-06.txt"
    path.write_text("Example Policy Monitor\nFollow-up to the June 2023 issue\n\n" + SYNTHETIC, encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    assert list(ex.graph.objects(ex.document, DCTERMS.date)) == [Literal("2025-06", datatype=XSD.gYearMonth)]
    assert any("June 2023" in w for w in ex.warnings)


# -- curated entries ---------------------------------------------------------------------------------------

def _curated_csv(tmp_path: Path, name: str, **overrides: str) -> Path:
    root = Path(__file__).resolve().parents[1]
    header = (root / "data/templates/policies.csv").read_text(encoding="utf-8").splitlines()[0]
    cells = {"kind": "policy", "title_en": "Plan for Wind Power in Example Province", "genre": "Implementation Plan",
             "jurisdiction": "CN-FJ", "level": "provincial", "issuers": "Fujian Provincial People's Government",
             "source_url": "https://www.fujian.gov.cn/a/202405/t20240510_1.htm", "publication_date": "2024-05-10",
             **overrides}
    path = tmp_path / name
    path.write_text(header + "\n" + ",".join(cells.get(c, "") for c in header.split(",")) + "\n", encoding="utf-8")
    return path


def test_a_csv_row_with_a_quoted_newline_is_located_at_its_first_line(tmp_path):
    """csv.reader's line_num is the row's LAST line: a cell before a quoted newline was reported one
    line too far (2:5 'jurisdiction' came out as 3:5), and the row's evidence quoted only its last line."""
    from loaders.curated import load_curated
    from policykg.vocab import OA, Minter

    bad = _curated_csv(tmp_path, "a.csv", issuers="\"Fujian Provincial\nPeople's Government\"", jurisdiction="Guangdong")
    with pytest.raises(InputError) as err:
        load_curated(bad, Minter())
    assert [(p["line"], p["field"]) for p in err.value.extra["problems"]] == [(2, "jurisdiction")]
    good = _curated_csv(tmp_path, "b.csv", title_en="\"Plan for Wind\nPower in Example Province\"")
    result = load_curated(good, Minter())
    quoted = [str(o) for o in result.graph.objects(None, OA.exact)]
    assert quoted and all(q.startswith("policy,") for q in quoted), quoted


@pytest.mark.parametrize("field_line, quoted", [
    ("    targets:\n      - {indicator: ratio of storage, year: 2030, value: 1:5, unit: '%'}\n", "'1:5'"),
    ("    document_number: 010\n", "'010'"),
    ("    status: no\n", "'no'"),
])
def test_a_yaml_value_is_read_as_the_text_written(tmp_path, field_line, quoted):
    """PyYAML's YAML 1.1 resolvers turned 'value: 1:5' into the base-60 number 65 (stored as a 65 % target,
    no message), 'document_number: 010' into 8 and 'status: no' into False, quoted as '8' and 'False'."""
    from loaders.curated import load_curated
    from policykg.vocab import Minter

    path = tmp_path / "p.yaml"
    path.write_text("policies:\n  - title_en: Plan for Wind Power in Example Province\n    genre: Implementation Plan\n"
                    "    jurisdiction: CN-FJ\n    level: provincial\n    issuers: [Fujian Provincial People's Government]\n"
                    "    source_url: https://www.fujian.gov.cn/a/202405/t20240510_1.htm\n    publication_date: 2024-05-10\n"
                    + field_line, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_curated(path, Minter())
    assert quoted in str(err.value)


# -- loader rules ------------------------------------------------------------------------------------------

def test_a_pledge_announced_in_the_past_is_no_goal_of_the_policy():
    """'The 2060 neutrality pledge was first announced in 2020' (history, written in 2024) gave a 2060
    target 'neutrality' to the policy whose block quotes it (before the dated-goal-noun rule: nothing)."""
    from loaders.goals import find_goals

    assert find_goals("The 2060 neutrality pledge was first announced in 2020 at the UN General Assembly.",
                      context_year=2024) == []


def test_a_chain_of_dated_goal_nouns_is_read_in_linear_time(monkeypatch):
    import loaders.goals as goals

    read = [0]
    real = goals.find_quantities

    def counting(seg, *a, **k):
        read[0] += len(seg)
        return real(seg, *a, **k)

    monkeypatch.setattr(goals, "find_quantities", counting)
    work = []
    for n in (40, 160):
        read[0] = 0
        goals.find_goals("The 2030 peak" + " and 2060 carbon neutrality" * n + ".", context_year=2024)
        work.append(read[0])
    assert work[1] / work[0] < 8, f"4x the text read {work[1] / work[0]:.1f}x as many characters"


# -- serve's busy-port check -------------------------------------------------------------------------------

def test_serving_on_ipv6_is_not_refused_for_a_port_held_on_ipv4_only():
    import asyncio
    import socket

    from policykg.cli import _check_port_free

    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    with socket.socket(socket.AF_INET) as v4:
        v4.bind(("0.0.0.0", 0))
        v4.listen()
        port = v4.getsockname()[1]

        async def bind() -> None:  # as uvicorn.Server.startup binds one worker's socket
            server = await asyncio.get_running_loop().create_server(asyncio.Protocol, host="::", port=port)
            server.close()

        try:
            asyncio.run(bind())
        except OSError:
            pytest.skip("this host cannot bind [::] beside 0.0.0.0")
        _check_port_free("::", port)  # ConfigError: port ... on :: is in use


@pytest.mark.parametrize("sentence, want", [
    ("The Notice and the Guidelines were issued by the NEA and the MEE, which were set up on 10 March 2008 and "
     "16 March 2018 respectively.", [None, None]),
    ("The Notice and the Guidelines were issued in response to the storms of 2 January 2025 and 3 January 2025 "
     "respectively.", [None, None]),
    ("The Notice and the Guidelines were issued on 2 January 2025 and 3 January 2025 respectively.",
     ["2025-01-02", "2025-01-03"]),
])
def test_respectively_dates_are_publication_dates_only_when_the_verb_states_them(sentence, want):
    """The dates of a relative clause ("the NEA and the MEE, which were set up on ...") or of a cause
    ("in response to the storms of ...") were taken for the two policies' publication dates."""
    from loaders.briefing import parse_briefing
    from test_loaders_briefing import GENRES, SYNTHETIC

    text = SYNTHETIC.replace("utilisation of gas.\n", "utilisation of gas. " + sentence + "\n", 1)
    parse = parse_briefing(text, GENRES)
    assert [e.respective_date and e.respective_date[0] for e in parse.policies[:2]] == want


def test_two_scoped_targets_with_the_same_figures_are_not_merged(tmp_path):
    """The repeated-paragraph rule merged targets by what they state (indicator, year, value...) only:
    "In rural areas, the clean heating rate will reach 70% by 2025. In urban areas, the clean heating
    rate will reach 70% by 2025." lost the urban target (the indicator does not carry the scope)."""
    from rdflib.namespace import DCTERMS, RDF

    from loaders import extract
    from policykg.vocab import PKG, Minter

    text = ("Heating updates\n\nThe National Energy Administration released the Action Plan for Clean Heating in "
            "Northern Cities. In rural areas, the clean heating rate will reach 70% by 2025. In urban areas, the "
            "clean heating rate will reach 70% by 2025.\n\n")
    path = tmp_path / "digest.txt"
    path.write_text(text, encoding="utf-8")
    g = extract(path, Minter()).graph
    (policy,) = [p for p in g.subjects(RDF.type, PKG.Policy) if "Clean Heating" in str(g.value(p, DCTERMS.title))]
    targets = list(g.objects(policy, PKG.setsTarget))
    assert len(targets) == 2, [g.value(t, PKG.indicator) for t in targets]


def test_a_section_heading_after_a_digest_item_does_not_join_its_bullets_to_the_policy(tmp_path):
    """The sub-heading rule (a short line over bullets inside an article) also fired after a digest's prose
    item: "Market Outlook" over analysts' bullets gave the Notice two targets it does not set."""
    from rdflib.namespace import RDF

    from loaders import extract
    from policykg.vocab import PKG, Minter

    text = ("Harbour policies\n\n"
            "The Ministry of Transport issued the Notice on Cleaner Tugboats in River Harbours. By 2028, the number\n"
            "of electric tugboats in river harbours will exceed 400.\n\n"
            "Market Outlook\n\n"
            "• Analysts expect carbon prices to reach 100 yuan per tonne by 2026.\n"
            "• Battery costs will fall by 20% by 2027, according to an industry survey.\n")
    path = tmp_path / "digest.txt"
    path.write_text(text, encoding="utf-8")
    g = extract(path, Minter()).graph
    (policy,) = g.subjects(RDF.type, PKG.Policy)
    assert sorted(float(g.value(t, PKG.value)) for t in g.objects(policy, PKG.setsTarget)) == [400.0]


def test_a_restore_stopped_between_its_renames_is_completed_when_the_store_is_next_opened(tmp_path):
    """Killed after 'store' -> 'store.replaced' and before 'store.restoring' -> 'store', the next start
    (serve, query...) made a new EMPTY store and served it, with both copies left beside it."""
    target = tmp_path / "store"
    restore_store(target, seal_dump(BODY))
    restore_store(tmp_path / "new", seal_dump(BODY.replace(b"one", b"two")))
    target.rename(tmp_path / "store.replaced")
    (tmp_path / "new").rename(tmp_path / "store.restoring")
    OxigraphStore(target, "https://w3id.org/policykg/").close()
    assert b'"two"' in _stored(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def _about_sections(tmp_path, publisher_end: str, series_url_line: str):
    from loaders import extract
    from policykg.vocab import Minter
    from test_loaders_briefing import SYNTHETIC

    text = SYNTHETIC.split(" About the Example Policy Monitor")[0] + (
        " About the Harbour Climate Institute (HCI)\n\nThe Harbour Climate Institute (HCI) is a research institute "
        f"that works on climate policy. {publisher_end}\n\n"
        "About Example Policy Monitor (EPM)\n\nThe Example Policy Monitor (EPM) tracks climate policies. For the "
        f"latest updates, please visit\n{series_url_line}\n")
    path = tmp_path / "epm-2025-06.txt"
    path.write_text(text, encoding="utf-8")
    return extract(path, Minter())


def test_an_about_section_ending_in_a_url_does_not_swallow_the_next_about_heading(tmp_path):
    """A publisher's About section ending without a full stop ("Website: https://...") was joined with the
    next "About <Series>" heading: the series was lost (no pkg:series, no dcat:landingPage)."""
    from policykg.vocab import DCAT, PKG

    ex = _about_sections(tmp_path, "Website: https://hci.example.org", "https://epm.example.org/briefings.")
    g, b = ex.graph, ex.document
    assert [str(u) for u in g.objects(b, DCAT.landingPage)] == ["https://epm.example.org/briefings"]
    assert str(g.value(b, PKG.series)) == "Example Policy Monitor (EPM)"


def test_a_zero_width_space_after_the_about_url_is_not_part_of_it(tmp_path):
    """'https://epm.example.org/briefings\\u200b.' (a PDF-text artefact) became the landing page with the
    invisible character in it, a link that does not resolve."""
    from policykg.vocab import DCAT

    ex = _about_sections(tmp_path, "It was founded in 2015.", "https://epm.example.org/briefings\u200b.")
    assert [str(u) for u in ex.graph.objects(ex.document, DCAT.landingPage)] == ["https://epm.example.org/briefings"]
