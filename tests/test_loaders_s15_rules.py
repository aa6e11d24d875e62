"""Session 15 loader rules: a quantifier before a title written in lower case ("issued a set of guidelines on
...") counts the documents and is no word of the title, as before a capitalised one (session 13)."""
from __future__ import annotations

import pytest

from loader_helpers import genre_regex
from loaders.briefing import find_titles


def _titles(text: str) -> list[tuple[str, str | None]]:
    return [(t.title, t.issuer) for t in find_titles(text, genre_regex())]


@pytest.mark.parametrize(("sentence", "title", "issuer"), [
    ("The NDRC issued a set of guidelines on promoting green electricity consumption.",
     "guidelines on promoting green electricity consumption", "NDRC"),
    ("The Ministry of Ecology and Environment released a series of measures to cut methane emissions.",
     "measures to cut methane emissions", "Ministry of Ecology and Environment"),
    ("The NEA issued a number of opinions on the reform of the power market.",
     "opinions on the reform of the power market", "NEA"),
    ("The MOF published a batch of measures for subsidising rural wind power.",
     "measures for subsidising rural wind power", "MOF"),
])
def test_a_quantifier_before_a_lower_case_title_is_no_part_of_it(sentence: str, title: str, issuer: str) -> None:
    assert _titles(sentence) == [(title, issuer)]


def test_held_the_capitalised_and_the_unquantified_forms() -> None:
    assert _titles("The NEA issued a set of Guidelines on Promoting Green Electricity Consumption.") == [
        ("Guidelines on Promoting Green Electricity Consumption", "NEA")]
    assert _titles("The NEA published a notice on strengthening grid safety in summer.") == [
        ("notice on strengthening grid safety in summer", "NEA")]


def test_a_quantifier_before_words_that_are_no_genre_gives_no_title() -> None:
    assert _titles("The NEA issued a series of questions and answers on the safety of the grid.") == []
    assert _titles("The NDRC released a set of figures on the growth of solar power.") == []
