"""``lookup`` names where each region or agency is: ``text=Taizhou`` gave two rows "Taizhou" (the cities
of Jiangsu and Zhejiang) and two "Taizhou Municipal People's Government" that nothing told apart."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from policykg.reference import build_reference
from policykg.settings import PROJECT_ROOT, Settings
from policykg.sparql import load_canned_queries
from policykg.store import OxigraphStore

LOOKUP = load_canned_queries(PROJECT_ROOT / "queries")["lookup"]


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    settings = Settings()
    st = OxigraphStore(None, settings.base_iri)
    st.replace_graphs({URIRef(f"{settings.base_iri}graph/{name}"): g for name, g in build_reference().items()})
    return st


def rows(store: OxigraphStore, text: str) -> list[tuple[str, str | None]]:
    _, bindings = LOOKUP.bind({"text": text})
    return [(str(r["label"]), None if r.get("within") is None else str(r["within"]))
            for r in store.select(LOOKUP.bound_text(bindings))]


def test_two_cities_of_one_name_and_their_governments_are_told_apart(store) -> None:
    found = rows(store, "Taizhou")
    assert ("Taizhou", "Jiangsu") in found and ("Taizhou", "Zhejiang") in found
    governments = [w for label, w in found if label == "Taizhou Municipal People's Government"]
    assert sorted(governments) == ["Taizhou, Jiangsu", "Taizhou, Zhejiang"]  # the city, then its province
    assert len(found) == len(set(found))


def test_a_province_is_in_the_country_and_the_country_is_in_nothing(store) -> None:
    assert rows(store, "CN-SD") == [("Shandong", "China")]
    assert rows(store, "China")[0] == ("China", None)
    assert rows(store, "Shandong DRC")[0] == ("Shandong Provincial Development and Reform Commission", "Shandong")


def test_one_row_per_resource_however_many_parents_a_merged_entry_gives_it(store) -> None:
    import rdflib

    extra = rdflib.Graph()
    city = URIRef("https://w3id.org/policykg/id/region/321200")
    extra.add((city, URIRef("https://w3id.org/policykg/ontology#partOf"),
               URIRef("https://w3id.org/policykg/id/region/CN-ZJ")))  # a second parent, as a bad merge could give
    store.replace_graphs({URIRef("https://w3id.org/policykg/graph/extra"): extra})
    try:
        found = [r for r in rows(store, "321200")]
        assert found == [("Taizhou", "Jiangsu")]  # one row: the first name of its parents
    finally:
        store.replace_graphs({URIRef("https://w3id.org/policykg/graph/extra"): rdflib.Graph()})
