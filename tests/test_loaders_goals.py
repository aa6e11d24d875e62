"""Tests of loaders.goals: the sample briefing scored against its gold file,
plus made-up sentences that use other numbers, units and wording.

The sample's policy blocks are located HERE (never in loader code) from the
first words of each gold title; a block runs from the paragraph holding its
title to the paragraph before the next policy's group headline (or title).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from loader_helpers import assert_linear
import yaml

from loaders.goals import CUES_FILE, Goal, cues, find_goals
from loaders.quantities import APPROXIMATELY, AT_LEAST, AT_MOST, EXACTLY, LESS_THAN, MORE_THAN, find_quantities
from policykg.errors import InputError
from policykg.vocab import CUR, PKG, UNIT

ROOT = Path(__file__).resolve().parents[1]
_CANDIDATES = [ROOT.parent / "shared" / "corpus", ROOT / "data"]
GOLD = next((p / "gold" / "ccnt-2024-03-04.yaml" for p in _CANDIDATES
             if (p / "gold" / "ccnt-2024-03-04.yaml").exists()), None)
TEXT = next((p / "briefings" / "ccnt-2024-03-04.txt" for p in _CANDIDATES
             if (p / "briefings" / "ccnt-2024-03-04.txt").exists()), None)
needs_sample = pytest.mark.skipif(GOLD is None or TEXT is None, reason="sample briefing/gold not on this machine")

COMPARATORS = {"approx": APPROXIMATELY, "gt": MORE_THAN, "gte": AT_LEAST, "lt": LESS_THAN, "lte": AT_MOST,
               "eq": EXACTLY}
SI_UNITS = {"w": UNIT.W, "cny": CUR.CNY, "m2": UNIT.M2, "count": UNIT.NUM, "percent": UNIT.PERCENT,
            "percentage_point": PKG.PercentagePoint, "cny_per_tce": PKG.CNYPerTonneCoalEquivalent}
PUBLICATION_YEAR = 2024


# ---------------------------------------------------------------------------
# locating the sample's blocks (test-only layout heuristics)
# ---------------------------------------------------------------------------

def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Blank-line separated paragraphs, with bare-URL lines dropped."""
    out = []
    for m in re.finditer(r"(?:[^\n]*\S[^\n]*\n?)+", text):
        s, e = m.start(), m.end()
        lines = [ln for ln in text[s:e].splitlines() if ln.strip() and not re.fullmatch(r"\s*https?://\S+\s*", ln)]
        if lines:
            out.append((s, e))
    return out


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def sample_blocks() -> list[tuple[dict, int, int]]:
    """``(gold policy, start, end)`` for every gold policy of the sample.

    A block runs from the paragraph holding the policy's title to the
    paragraph before the next title; the paragraph right before the next
    title is left out when it is neither a bullet nor a title paragraph (it
    is the next group's headline), and so is a short section heading before it.
    """
    text = TEXT.read_text(encoding="utf-8")
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    paras = _paragraphs(text)
    flat = [_norm(re.sub(r"(?m)^\s*https?://\S+\s*$", "", text[s:e])) for s, e in paras]
    locs: list[tuple[dict, int]] = []
    for pol in gold["policies"]:
        words = " ".join(pol["title"].split()[:6])
        after = locs[-1][1] + 1 if locs else 0  # gold lists policies in document order
        locs.append((pol, next(i for i, f in enumerate(flat) if i >= after and words in f)))
    stop = next(i for i, f in enumerate(flat) if f == "Perspectives")
    title_paras = {i for _, i in locs}
    out = []
    for k, (pol, idx) in enumerate(locs):
        last = (locs[k + 1][1] if k + 1 < len(locs) else stop) - 1
        if k + 1 < len(locs) and last > idx and last not in title_paras and not flat[last].startswith("e "):
            last -= 1
            if last > idx and not flat[last].endswith((".", ":")) and len(flat[last].split()) <= 4:
                last -= 1
        out.append((pol, paras[idx][0], paras[last][1]))
    return out


def sample_goals() -> list[tuple[dict, list[Goal], str]]:
    text = TEXT.read_text(encoding="utf-8")
    return [(pol, find_goals(text[s:e], s, context_year=PUBLICATION_YEAR), text) for pol, s, e in sample_blocks()]


# ---------------------------------------------------------------------------
# scoring (mirrors shared/tools/score_extraction.py on Goal records)
# ---------------------------------------------------------------------------

def _val_ok(pred: float | None, gold: float) -> bool:
    return pred is not None and abs(pred - gold) <= 0.005 * abs(gold) + 1e-9


def score(results: list[tuple[dict, list[Goal], str]]) -> dict[str, tuple[int, int]]:
    t_tp = t_gold = t_pred = p_hit = 0
    q_tp = q_gold = q_pred = q_used = 0
    p_tp = p_gold = 0
    misses: list[str] = []
    for pol, goals, _ in results:
        quant = [g for g in goals if g.value is not None]
        quant_targets = [g for g in quant if g.kind == "target"]
        qual = [g for g in goals if g.value is None]
        used: set[int] = set()
        # a predicted target that is a gold provision is not a false target
        for pv in pol.get("provisions") or []:
            if pv.get("si_value") is None:
                continue
            for g in quant_targets:
                if id(g) not in used and _val_ok(g.normalized_value, float(pv["si_value"])) \
                        and g.normalized_unit == SI_UNITS[pv["si_unit"].lower()]:
                    used.add(id(g))
                    break
        t_pred += sum(1 for g in quant_targets if id(g) not in used)
        q_pred += len(qual)
        for t in pol.get("targets") or []:
            if t.get("value") is None:
                q_gold += 1
                hit = next((g for g in qual if id(g) not in used and g.target_year == t.get("year")), None)
                if hit:
                    used.add(id(hit))
                    q_tp += 1
                else:
                    misses.append(f"{pol['id']} qualitative {t.get('year')} {t['indicator']}")
                continue
            t_gold += 1
            hit = None
            for g in quant:
                if id(g) in used:
                    continue
                comps = {COMPARATORS[t["comparator"]], COMPARATORS.get(t.get("comparator_alt"))}
                if g.target_year == t.get("year") and _val_ok(g.normalized_value, float(t["si_value"])) \
                        and g.normalized_unit == SI_UNITS[t["si_unit"].lower()] and g.comparator in comps \
                        and (t.get("baseline_year") is None or g.baseline_year == t["baseline_year"]):
                    hit = g
                    break
            if hit is None and t.get("value_optional"):
                hit = next((g for g in qual if id(g) not in used and g.target_year == t.get("year")), None)
            if hit is not None:
                used.add(id(hit))
                t_tp += 1
                p_hit += hit.kind == "target" and hit.value is not None
            else:
                misses.append(f"{pol['id']} target {t.get('year')} {t['value']} {t['unit']} ({t['comparator']})")
        q_used += sum(1 for g in qual if id(g) in used)
        for pv in pol.get("provisions") or []:
            if pv.get("si_value") is None:
                continue
            p_gold += 1
            if any(_val_ok(g.normalized_value, float(pv["si_value"])) and g.normalized_unit == SI_UNITS[pv["si_unit"].lower()]
                   for g in quant):
                p_tp += 1
            else:
                misses.append(f"{pol['id']} provision {pv['value']} {pv['unit']}")
    return {"target_recall": (t_tp, t_gold), "target_precision": (p_hit, t_pred),
            "qualitative_recall": (q_tp, q_gold), "qualitative_precision": (q_used, q_pred),
            "provision_recall": (p_tp, p_gold), "misses": misses}  # type: ignore[dict-item]


def f1(s: dict) -> float:
    (tp, n_gold), (p_tp, n_pred) = s["target_recall"], s["target_precision"]
    r = tp / n_gold if n_gold else 1.0
    p = p_tp / n_pred if n_pred else 1.0
    return 2 * r * p / (r + p) if r + p else 0.0


# ---------------------------------------------------------------------------
# the sample
# ---------------------------------------------------------------------------

@needs_sample
def test_sample_blocks_are_found():
    blocks = sample_blocks()
    assert len(blocks) == 25
    text = TEXT.read_text(encoding="utf-8")
    for pol, s, e in blocks:
        assert " ".join(pol["title"].split()[:3]) in _norm(text[s:e])


@needs_sample
def test_sample_scores_against_gold():
    s = score(sample_goals())
    print("\nscores:", {k: v for k, v in s.items() if k != "misses"}, f"target F1 {f1(s):.3f}")
    print("misses:", s["misses"])
    assert f1(s) >= 0.95, s["misses"]
    tp, n = s["provision_recall"]
    assert tp >= 9 and n == 10, s["misses"]
    tp, n = s["qualitative_recall"]
    assert tp >= 9 * n / 11, s["misses"]


@needs_sample
def test_sample_evidence_spans_are_exact_substrings():
    for pol, goals, text in sample_goals():
        for g in goals:
            quoted = text[g.start:g.end]
            assert quoted and quoted == quoted.strip(), (pol["id"], quoted)
            if g.value is not None:
                # the quoted clause holds the number as written
                assert g.value in {q.value for q in find_quantities(quoted)}, (pol["id"], quoted)


@needs_sample
def test_sample_reference_values_and_structure_counts_stay_out():
    by_id = {pol["id"]: goals for pol, goals, _ in sample_goals()}
    # "(higher than the national target of 30%)" is a reference value, not this policy's goal
    assert not any(g.value == 30 and g.normalized_unit == UNIT.PERCENT for g in by_id["P24"])
    # "17 measures", "six aspects", "three grades", "eight major projects" are not goals; the counts of the
    # document's own parts ("The Notice contains 17 measures") are provisions without a year
    assert not any(g.value == 17 and g.kind == "target" for g in by_id["P04"])
    assert [(g.indicator, g.unit_text, g.target_year) for g in by_id["P04"] if g.value == 17] == [
        ("number of measures in the notice", "measures", None)]
    assert not any(g.value == 3 for g in by_id["P11"])
    assert not any(g.value == 6 for g in by_id["P12"])
    assert not any(g.value == 8 and g.kind == "target" for g in by_id["P20"])
    assert [(g.kind, g.indicator, g.unit_text) for g in by_id["P20"] if g.value == 8] == [
        ("provision", "number of major projects in the plan", "projects")]
    # policies with no numeric goal give none
    for pid in ("P01", "P08", "P13", "P16", "P19"):
        assert not [g for g in by_id[pid] if g.value is not None], pid


# ---------------------------------------------------------------------------
# made-up sentences: other numbers, units and wording
# ---------------------------------------------------------------------------

def one(text: str, **kw) -> Goal:
    goals = [g for g in find_goals(text, **kw) if g.value is not None]
    assert len(goals) == 1, goals
    return goals[0]


def test_year_comparator_unit_and_offsets():
    doc = "PREFIX TEXT. "
    block = "The Plan states that by 2030, installed offshore wind capacity will reach no less than 45 GW."
    g = one(block, base_offset=len(doc))
    full = doc + block
    assert (g.kind, g.target_year, g.value, g.normalized_value, g.normalized_unit, g.comparator) == \
        ("target", 2030, Decimal("45"), 4.5e10, UNIT.W, AT_LEAST)
    assert full[g.start:g.end] in block and "45 GW" in full[g.start:g.end]


def test_lead_in_year_covers_bullets():
    block = ("The Measures propose that by the end of 2028:\n\n"
             "• Hydrogen refuelling stations will number about 1,500.\n"
             "• The share of electric buses will be above 90%.\n")
    gs = [g for g in find_goals(block) if g.value is not None]
    assert [(g.target_year, g.value, g.comparator, g.normalized_unit) for g in gs] == [
        (2028, Decimal("1500"), APPROXIMATELY, UNIT.NUM), (2028, Decimal("90"), MORE_THAN, UNIT.PERCENT)]


def test_lead_in_parameter_gives_default_year():
    g = one("Energy intensity will fall by 13.5%.", lead_in="It also set goals to be met by 2026:")
    assert g.target_year == 2026 and g.value == Decimal("13.5")


def test_percentage_points_and_baseline():
    g = one("e By 2026, the share of non-fossil energy will rise by at least 3 percentage points compared with 2020.")
    assert (g.normalized_unit, g.comparator, g.baseline_year, g.target_year) == (PKG.PercentagePoint, AT_LEAST, 2020, 2026)


def test_baseline_with_than():
    g = one("By 2027, carbon emissions per unit of GDP will be 18% lower than 2020 levels.")
    assert g.baseline_year == 2020 and g.target_year == 2027 and g.normalized_unit == UNIT.PERCENT


def test_five_year_plan_period():
    g = one("During the 15th Five-Year Plan period, new rooftop solar will add more than 30 gigawatts.")
    assert (g.target_year, g.period_start, g.period_end, g.normalized_value) == (2030, 2026, 2030, 3.0e10)


def test_ocr_ordinal_is_not_a_number():
    gs = find_goals("It proposes that during the 14™ Five-Year Plan period, 5 pilot cities will be chosen.")
    assert [(g.value, g.target_year, g.period_start) for g in gs if g.value is not None] == [(Decimal("5"), 2025, 2021)]


def test_horizon():
    gs = find_goals("The Opinions state that over the next three years, a unified national carbon market will be "
                    "basically established.")
    assert [(g.value, g.horizon_years, g.target_year) for g in gs] == [(None, 3, None)]


def test_provision_cap_per_project():
    g = one("Subsidies for each demonstration project shall not exceed 5 million yuan.")
    assert (g.kind, g.comparator, g.normalized_value, g.normalized_unit) == ("provision", AT_MOST, 5e6, CUR.CNY)


def test_provision_threshold_by_rule_modal():
    g = one("The installed capacity of an applicant's plant must not be lower than 50 MW.")
    assert (g.kind, g.comparator, g.normalized_value) == ("provision", AT_LEAST, 5e7)


def test_provision_rate_per_tce():
    g = one("Eligible retrofits receive a reward of up to 800 yuan per tonne of standard coal saved.")
    assert (g.kind, g.normalized_unit, g.comparator, g.value) == \
        ("provision", PKG.CNYPerTonneCoalEquivalent, AT_MOST, Decimal("800"))


def test_target_with_negated_cap_and_year_stays_target():
    g = one("By 2025, coal's share of primary energy consumption shall not exceed 52%.")
    assert (g.kind, g.comparator, g.target_year) == ("target", AT_MOST, 2025)


def test_yearless_goal_needs_goal_language():
    # the 23 articles are a count of the notice's parts (a provision), the 4 agencies nothing
    assert [(g.kind, g.value) for g in find_goals("The Notice contains 23 articles and was drafted by 4 agencies.")] \
        == [("provision", 23)]
    assert find_goals("The Notice was drafted by 4 agencies.") == []
    g = one("Data centres should source more than 60% of their power from renewables.")
    assert (g.target_year, g.comparator, g.kind) == (None, MORE_THAN, "target")


def test_statistics_are_not_goals():
    assert [g for g in find_goals("In 2022, the province's wind capacity reached 25 GW.", context_year=2024)] == []
    assert find_goals("So far, 1,200 charging stations have been built.") == []


def test_split_clauses_and_years():
    block = ("e By 2029, total storage capacity will exceed 40 million kilowatts, and the peak-shaving capacity "
             "will be about 8% of peak load; the demand response system will be fully established.")
    gs = find_goals(block)
    assert [(g.value, g.target_year, g.comparator) for g in gs] == [
        (Decimal("40"), 2029, MORE_THAN), (Decimal("8"), 2029, APPROXIMATELY), (None, 2029, None)]
    assert len({(g.start, g.end) for g in gs}) == 3


def test_trailing_year_scopes_only_its_clause():
    block = "Output should keep growing above 12% a year, striving to reach 900 MW by 2028."
    gs = [(g.value, g.target_year) for g in find_goals(block)]
    assert gs == [(Decimal("12"), None), (Decimal("900"), 2028)]


def test_words_for_numbers_and_ranges():
    g = one("By 2030, the city will build five to eight zero-carbon industrial parks.")
    assert (g.lower_value, g.upper_value, g.normalized_unit, g.target_year) == (Decimal(5), Decimal(8), UNIT.NUM, 2030)
    g = one("By 2026, renewable hydrogen output will reach 10–15 thousand tonnes.")
    assert (g.lower_value, g.upper_value, g.normalized_unit, g.normalized_value) == \
        (Decimal(10), Decimal(15), UNIT.TONNE, 1e4)


def test_chinese_units():
    g = one("到2025年，新型储能装机规模达到3000万千瓦以上。")
    assert (g.target_year, g.normalized_value, g.normalized_unit, g.comparator) == (2025, 3.0e10, UNIT.W, AT_LEAST)


def test_urls_and_parenthetical_reference_values_ignored():
    block = ("By 2025, the green building share will reach 70% (the national goal is 60%).\n"
             "https://example.gov.cn/2024/03/12/t20240312_3587396.html\n")
    gs = find_goals(block)
    assert [(g.value, g.target_year) for g in gs] == [(Decimal("70"), 2025)]


def test_relative_years_need_context_year():
    g = one("By the end of next year, 300 counties will have public charging stations.", context_year=2024)
    assert g.target_year == 2025


def test_qualitative_needs_a_year_and_a_goal_predicate():
    assert find_goals("The Plan outlines work on grid codes and dispatch rules.") == []
    gs = find_goals("e By 2035, to build a clean, low-carbon and efficient energy system across the region.")
    assert [(g.value, g.target_year) for g in gs] == [(None, 2035)]


def test_cue_file_errors_name_the_field(tmp_path):
    bad = tmp_path / "cues.yaml"
    bad.write_text("provision_cues: [reward]\n")
    with pytest.raises(InputError) as exc:
        cues(bad)
    assert "per_entity_determiners" in str(exc.value)
    bad.write_text("provision_cues: [\n")
    with pytest.raises(InputError) as exc:
        cues(bad)
    assert exc.value.line is not None
    good = yaml.safe_load(CUES_FILE.read_text(encoding="utf-8"))
    good["goal_cues"] = ["will", "(unclosed"]
    bad.write_text(yaml.safe_dump(good))
    with pytest.raises(InputError) as exc:
        cues(bad)
    assert exc.value.field == "goal_cues" and exc.value.line is not None and "(unclosed" in str(exc.value)


# ---------------------------------------------------------------------------
# property tests
# ---------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

INDICATORS = ["share of wind power", "installed solar capacity", "number of charging stations",
              "green loan balance", "forest coverage rate", "energy intensity"]
RENDER_UNITS = [("GW", 1e9, UNIT.W), ("million kilowatts", 1e9, UNIT.W), ("%", 1.0, UNIT.PERCENT),
                ("billion yuan", 1e9, CUR.CNY), ("million square meters", 1e6, UNIT.M2),
                ("percentage points", 1.0, PKG.PercentagePoint), ("pilot parks", 1.0, UNIT.NUM)]
RENDER_COMPS = [("reach", EXACTLY), ("be", EXACTLY), ("exceed", MORE_THAN), ("be more than", MORE_THAN),
                ("be no less than", AT_LEAST), ("be at least", AT_LEAST), ("not exceed", AT_MOST),
                ("be about", APPROXIMATELY), ("be below", LESS_THAN)]
YEAR_FORMS = ["By {y}, ", "By the end of {y}, ", "e By {y}, ", ""]


@settings(max_examples=200, deadline=None)
@given(st.integers(2024, 2060), st.sampled_from(YEAR_FORMS), st.sampled_from(INDICATORS),
       st.sampled_from(RENDER_COMPS), st.integers(1, 999), st.sampled_from(RENDER_UNITS),
       st.one_of(st.none(), st.integers(2015, 2023)), st.integers(0, 500))
def test_rendered_goals_round_trip(year, year_form, indicator, comp, value, unit, baseline, offset):
    (comp_text, comp_iri), (unit_text, factor, iri) = comp, unit
    amount = f"{value}{unit_text}" if unit_text == "%" else f"{value} {unit_text}"
    tail = f" compared with {baseline}" if baseline else ""
    lead = year_form.format(y=year)
    sentence = f"{lead}the {indicator} will {comp_text} {amount}{tail}."
    if not lead:
        sentence = sentence[0].upper() + sentence[1:-1] + f" by {year}."
    block = "Intro text.\n\n" + sentence + "\n"
    goals = find_goals(block, offset)
    assert len(goals) == 1, (sentence, goals)
    g = goals[0]
    assert (g.kind, g.target_year, g.value, g.comparator, g.normalized_unit, g.baseline_year) == \
        ("target", year, Decimal(value), comp_iri, iri, baseline), sentence
    assert g.normalized_value == pytest.approx(value * factor)
    assert (" " * offset + block)[g.start:g.end] in sentence
    assert indicator in g.indicator


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcde ,.;:()%\n-e By2025 by 2030 over 12 million kW yuan 14™ 0123456789")),
               max_size=200), st.integers(0, 100))
def test_find_goals_never_raises_and_spans_hold(text, offset):
    for g in find_goals(text, offset, context_year=2024, lead_in=text[:20]):
        assert offset <= g.start < g.end <= offset + len(text)
        quoted = text[g.start - offset:g.end - offset]
        assert quoted == quoted.strip()
        assert g.kind in ("target", "provision")
        assert (g.value is None) == (g.comparator is None)


def test_all_is_complete():
    import loaders.goals as lg
    public = {n for n in dir(lg) if not n.startswith("_") and getattr(getattr(lg, n), "__module__", None) == lg.__name__}
    assert public <= set(lg.__all__)


def test_from_value_is_not_a_goal():
    gs = find_goals("The share of clean heating will rise from 30% in 2020 to 45% in 2027.", context_year=2024)
    assert [(g.value, g.target_year) for g in gs] == [(Decimal(45), 2027)]


def test_doctests():
    import doctest

    import loaders.goals as lg
    import loaders.quantities as lq
    for mod in (lq, lg):
        failed, _ = doctest.testmod(mod)
        assert failed == 0, mod.__name__


def test_each_quantity_takes_its_own_year():
    gs = find_goals("Heilongjiang plans to build 12 GW of wind power by 2026 and 25 GW by 2031.")
    assert [(g.value, g.target_year, g.indicator) for g in gs] == [
        (Decimal(12), 2026, "wind power"), (Decimal(25), 2031, "wind power")]
    gs = find_goals("The plan targets 35% and 45% renewable shares in 2026 and 2032 respectively.")
    assert [(g.value, g.target_year) for g in gs] == [(Decimal(35), 2026), (Decimal(45), 2032)]


def test_short_qualitative_goals_with_before():
    gs = find_goals("The region aims to peak carbon emissions before 2029 and achieve carbon neutrality before 2058.")
    assert [(g.value, g.target_year) for g in gs] == [(None, 2029), (None, 2058)]


def test_counts_of_document_parts_are_not_goals():
    # a list of counts after "<document> lists": each a provision of the document, none a target due in 2027
    gs = find_goals("The guideline lists 3 principles, 5 goals and 20 tasks to be completed by 2027.")
    assert [(g.kind, g.value, g.unit_text, g.target_year) for g in gs] == [
        ("provision", 3, "principles", None), ("provision", 5, "goals", None), ("provision", 20, "tasks", None)]


def test_past_years_are_statistics_when_context_year_is_known():
    assert find_goals("Installed wind capacity reached 441 GW by the end of 2023.", context_year=2024) == []
    assert find_goals("Sales rose 35% year-on-year to 9.5 million vehicles.", context_year=2024) == []


def test_lead_in_year_does_not_make_qualitative_goals():
    lead = "The share of clean heating will exceed 70% by 2026 across the province."
    gs = find_goals("The Office published a Plan, emphasizing several targets for heating.", lead_in=lead)
    assert gs == []


PROVISION_TEMPLATES = [
    "Each {entity} will receive a subsidy of {comp} {amount}.",
    "The reward for a single {entity} shall, in principle, {verb} {amount}.",
    "Funding support for individual {entity}s will {verb} {amount}.",
]
PROVISION_COMPS = [("up to", AT_MOST), ("no more than", AT_MOST), ("not more than", AT_MOST), ("at most", AT_MOST)]
PROVISION_VERBS = [("not exceed", AT_MOST), ("be no less than", AT_LEAST), ("be about", APPROXIMATELY)]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(PROVISION_TEMPLATES), st.sampled_from(["project", "village", "household", "enterprise"]),
       st.sampled_from(PROVISION_COMPS), st.sampled_from(PROVISION_VERBS), st.integers(1, 9999),
       st.sampled_from([("million yuan", 1e6, CUR.CNY), ("MW", 1e6, UNIT.W), ("%", 1.0, UNIT.PERCENT),
                        ("yuan/ton of standard coal", 1.0, PKG.CNYPerTonneCoalEquivalent)]))
def test_rendered_provisions(template, entity, comp, verb, value, unit):
    (unit_text, factor, iri) = unit
    amount = f"{value:,}{unit_text}" if unit_text == "%" else f"{value:,} {unit_text}"
    sentence = template.format(entity=entity, comp=comp[0], verb=verb[0], amount=amount)
    expected = comp[1] if "{comp}" in template else verb[1]
    goals = find_goals(sentence)
    assert [(g.kind, g.comparator, g.normalized_unit) for g in goals] == [("provision", expected, iri)], sentence
    assert goals[0].normalized_value == pytest.approx(value * factor)


@settings(max_examples=100, deadline=None)
@given(st.integers(2025, 2050), st.lists(st.tuples(st.sampled_from(INDICATORS), st.sampled_from(RENDER_COMPS),
                                                   st.integers(1, 999), st.sampled_from(RENDER_UNITS)),
                                         min_size=1, max_size=4),
       st.sampled_from(["e ", "• ", "- ", "(1) "]))
def test_rendered_lead_in_and_bullets(year, bullets, marker):
    lines = [f"The Plan proposes that by the end of {year}:", ""]
    for indicator, (comp_text, _), value, (unit_text, _, _) in bullets:
        amount = f"{value}{unit_text}" if unit_text == "%" else f"{value} {unit_text}"
        lines += [f"{marker}The {indicator} will {comp_text}", f"{amount}.", ""]
    goals = find_goals("\n".join(lines))
    # a bullet written twice, word for word, states one target (merge_repeated): each distinct bullet once,
    # in order; the same figures worded otherwise ("reach" / "be") stay two targets
    distinct = dict.fromkeys((i, c, Decimal(v), u) for i, c, v, u in bullets)
    want = [(year, v, c[1], u[2]) for _, c, v, u in distinct]
    assert [(g.target_year, g.value, g.comparator, g.normalized_unit) for g in goals] == want, lines


@pytest.mark.parametrize("sentence,year", [
    ("The target for 2026 is 22%.", 2026),
    ("The 2031 target for wind capacity is 1,300 GW.", 2031),
    ("By mid-2027, 400 battery swap stations will be built.", 2027),
    ("By year-end 2026, solar capacity will exceed 950 GW.", 2026),
    ("到2026年，光伏装机达到500万千瓦。", 2026),
])
def test_year_forms(sentence, year):
    assert [g.target_year for g in find_goals(sentence, context_year=2024)] == [year]


def test_lead_in_year_covers_unmarked_paragraphs_until_a_list_ends():
    block = ("The Plan proposes that by 2028:\n\nWind capacity will reach 31 GW.\n\n"
             "Solar capacity will reach 44 GW.\n")
    assert [(g.value, g.target_year) for g in find_goals(block)] == [(Decimal(31), 2028), (Decimal(44), 2028)]
    block = ("The Plan proposes that by 2028:\n\ne Wind capacity will reach 31 GW.\n\n"
             "Additionally, the Plan calls for 12 new demonstration zones to be built.\n")
    assert [(g.value, g.target_year) for g in find_goals(block)] == [(Decimal(31), 2028), (Decimal(12), None)]


def test_chinese_block():
    text = "到2026年，可再生能源消费比重达到25%左右，单位产值能耗比2021年下降12%。每个项目补助不超过300万元。"
    gs = find_goals(text, context_year=2024)
    assert [(g.kind, g.target_year, g.value, g.comparator, g.baseline_year) for g in gs] == [
        ("target", 2026, Decimal(25), APPROXIMATELY, None), ("target", 2026, Decimal(12), EXACTLY, 2021),
        ("provision", None, Decimal(300), AT_MOST, None)]
    assert gs[2].normalized_value == 3.0e6


def test_denominators_and_concentrations():
    gs = find_goals("By 2027, water consumption per 10,000 yuan of GDP will drop by 16%, and PM2.5 concentration "
                    "will fall to 28 micrograms per cubic metre.")
    assert [(g.value, g.normalized_unit, g.target_year) for g in gs] == [
        (Decimal(16), UNIT.PERCENT, 2027), (Decimal(28), UNIT["MicroGM-PER-M3"], 2027)]


# ---------------------------------------------------------------------------
# regressions from the unseen-briefing review (tests/hostile_unseen)
# ---------------------------------------------------------------------------

def test_provision_phrase_with_makes_its_head_clause_part_of_the_rule():
    block = ("It states that during the 15th Five-Year Plan period, in qualifying townships, a batch of rooftop "
             "solar projects will be built by rural collectives, with each township not exceeding 8 megawatts "
             "in principle.")
    gs = find_goals(block, context_year=2025)
    assert [(g.kind, g.value, g.comparator) for g in gs] == [("provision", Decimal(8), AT_MOST)]
    # a target after ", with" leaves the head's qualitative goal in place
    gs = find_goals("By 2028, a provincial carbon market will be established, with over 40 billion yuan traded.")
    assert [(g.kind, g.value) for g in gs] == [("target", None), ("target", Decimal(40))]


def test_respectively_pairs_years_written_before_the_values():
    gs = find_goals("By 2027 and 2028, coal's share of power will drop by 4.1% and 3.6% respectively, cutting "
                    "about 9 million tons of standard coal over the two years.", context_year=2025)
    assert [(g.value, g.target_year, g.period_start) for g in gs] == [
        (Decimal("4.1"), 2027, None), (Decimal("3.6"), 2028, None), (Decimal(9), 2028, 2027)]
    assert gs[0].indicator == gs[1].indicator == "coal's share of power"


def test_two_modal_clauses_joined_by_and_are_two_goals():
    gs = find_goals("By 2035, the county heating structure will be greatly improved and methane emissions of the "
                    "mining sector will decline steadily.")
    assert [(g.value, g.target_year) for g in gs] == [(None, 2035), (None, 2035)]
    # "and" inside a subject or before a relative clause does not cut
    gs = find_goals("By 2026, the share of wind and solar will reach 35%.")
    assert [g.indicator for g in gs] == ["share of wind and solar"]


def test_colon_lead_in_provision_cue_reaches_an_inline_list():
    block = ("The province will grant subsidies to each qualifying county: 40 million yuan for counties in "
             "mountain areas and 25 million yuan for other counties.\n\nBy 2027, heat pumps will cover 30% of "
             "rural homes.\n")
    gs = find_goals(block)
    assert [(g.kind, g.value) for g in gs] == [("provision", Decimal(40)), ("provision", Decimal(25)),
                                               ("target", Decimal(30))]
    assert gs[0].indicator == "for counties in mountain areas"


def test_colon_lead_in_provision_cue_ends_with_its_list():
    block = ("The Rules set the following subsidies:\n\n- 800 yuan for each heat pump.\n\n"
             "Officials said that the county will install 300 heat pumps by 2026.\n")
    assert [(g.kind, g.value) for g in find_goals(block)] == [("provision", Decimal(800)), ("target", Decimal(300))]


def test_parallel_clause_needs_same_opening_or_no_predicate():
    gs = find_goals("Buyers of a heat pump receive a grant of 2,000 yuan; buyers of a gas boiler receive 600 yuan.")
    assert [(g.kind, g.value) for g in gs] == [("provision", Decimal(2000)), ("provision", Decimal(600))]
    gs = find_goals("Buyers of a heat pump receive a grant of 2,000 yuan; 600 yuan for a gas boiler.")
    assert [g.kind for g in gs] == ["provision", "provision"]
    gs = find_goals("Buyers of a heat pump receive a grant of 2,000 yuan; by 2027 the county will have 12 pilot towns.")
    assert [g.kind for g in gs] == ["provision", "target"]
    gs = find_goals("Buyers of a heat pump receive a grant of 2,000 yuan; heat pump sales will exceed 9,000 units.")
    assert [g.kind for g in gs] == ["provision", "target"]


def test_added_value_is_not_a_verb_in_an_indicator():
    g = one("By 2027, water use per unit of industrial added value will fall by more than 9%.")
    assert g.indicator == "water use per unit of industrial added value"


def test_range_is_at_least_its_lower_bound():
    g = one("By 2029, the share of electric buses will be between 60% and 70%.")
    assert (g.value, g.comparator, g.lower_value, g.upper_value) == (Decimal(60), AT_LEAST, Decimal(60), Decimal(70))
    g = one("By 2029, the share of electric buses will be about 60-70%.")
    assert g.comparator == APPROXIMATELY


# ---------------------------------------------------------------- indicators name what is measured (review defects)

def test_add_up_to_is_a_total_not_an_object():
    """"add up to" is the verb "total": its particle "up" is no indicator (sentence opening "Neither")."""
    gs = find_goals("Neither shall the subsidy amount exceed 20% of the project investment nor shall the "
                    "subsidy add up to over 40 million RMB.")
    assert [(g.indicator, g.value) for g in gs] == [("subsidy amount", Decimal(20)), ("subsidy", Decimal(40))]
    g = one("Towns that meet the goal will receive up to 30 million RMB each.")
    assert g.indicator.lower() not in {"up", "up to"}


def test_coordinate_adjectives_keep_their_comma():
    g = one("By 2026, more than 60 enterprises within the clean, zero-carbon chain will be cultivated.")
    assert g.indicator == "enterprises within the clean, zero-carbon chain"
    g = one("By 2026, more than 60 enterprises in the city, accounting for half of output, will be cultivated.")
    assert g.indicator == "enterprises in the city"


def only(text: str) -> Goal:
    """The one goal (quantified or not) read from ``text``."""
    (g,) = find_goals(text)
    return g


def test_a_long_qualitative_indicator_is_cut_at_a_phrase_boundary():
    g = only("By 2031, heat pumps are expected to achieve broad and commercialized use in many kinds of "
            "buildings across the whole region, in both urban and rural areas.")
    assert g.indicator == ("heat pumps are expected to achieve broad and commercialized use in many kinds of "
                           "buildings across the whole region")


@pytest.mark.parametrize("brk", ["-\n", "- \n", "-\n   "])
def test_line_break_hyphen_joins_its_compound(brk: str):
    g = only(f"By 2036, to build industrial parks driven by low-carbon, zero-carbon, negative{brk}carbon fuels.")
    assert "negative-carbon fuels" in g.indicator and "negative- " not in g.indicator
    assert "low- and" in only("By 2036, to build parks driven by low-\nand zero-carbon fuels.").indicator


def test_fronted_adverbial_clause_is_not_the_indicator():
    g = one("After the close of the trial period, towns that have beaten the target will be given an extra "
            "subsidy in accordance with 15% of the subsidy standard.")
    assert g.indicator == "extra subsidy"
    g = one("Once the review is complete, the refund rate will not exceed 12%.")
    assert g.indicator == "refund rate"


def test_percent_of_its_own_quantity_is_a_share_of_it():
    g = one("The rules also require that the data centre sector should achieve more than 70% of its power "
            "consumption from renewable electricity sources.")
    assert g.indicator == "share of power consumption from renewable electricity sources"
    assert one("By 2028, demand response will exceed 4% of the peak load.").indicator == "demand response"


def test_modifier_before_a_participle_counts_the_whole_noun():
    g = one("By 2027, there will be about 6 million public charging points in the province.")
    assert (g.unit_text, g.indicator) == ("million public charging points", "public charging points in the province")


# ---------------------------------------------------------------- year evidence (review defect)

def test_year_from_a_lead_in_is_quoted():
    block = ("The Plan states that by the end of 2028:\n\n"
             "e The share of electric buses will exceed 70%.\n\n"
             "e By 2030, rooftop solar will reach 5 GW, and storage will reach 2 GW.\n")
    gs = find_goals(block, base_offset=100)
    assert [(g.target_year, g.value) for g in gs] == [(2028, Decimal(70)), (2030, Decimal(5)), (2030, Decimal(2))]
    lead, own, shared = gs
    assert block[lead.year_start - 100:lead.year_end - 100] == "The Plan states that by the end of 2028:"
    assert (own.year_start, own.year_end) == (None, None)          # the clause states its own year
    assert block[shared.year_start - 100:shared.year_end - 100] == "By 2030"  # from the first clause


def test_year_from_a_headline_is_quoted_at_its_positions():
    lead_in = "It proposes that by 2029: cities act."
    positions = [500 + i for i in range(len(lead_in))]
    (g,) = find_goals("e Heat pump sales will exceed 9,000 units.", base_offset=0, lead_in=lead_in,
                      lead_in_positions=positions)
    assert g.target_year == 2029 and (g.year_start, g.year_end) == (500, 500 + len("It proposes that by 2029:"))
    (g,) = find_goals("e Heat pump sales will exceed 9,000 units.", lead_in=lead_in)
    assert g.target_year == 2029 and g.year_start is None      # no positions: nothing to quote


# ---------------------------------------------------------------------------
# counts of the document's own parts (provisions without a year)
# ---------------------------------------------------------------------------

def _counts(text: str, **kw) -> list[tuple[str, str, Decimal, str | None, int | None]]:
    return [(g.kind, g.indicator, g.value, g.unit_text, g.target_year) for g in find_goals(text, **kw)]


@pytest.mark.parametrize("sentence,want", [
    ("The Opinions propose 20 measures to deepen reform of the heat market.",
     [("provision", "number of measures in the opinions", Decimal(20), "measures", None)]),
    ("The Work Plan sets out ten key tasks for the coming winter.",
     [("provision", "number of key tasks in the work plan", Decimal(10), "tasks", None)]),
    ("Additionally, the Plan outlines eight major projects, including a hydrogen corridor.",
     [("provision", "number of major projects in the plan", Decimal(8), "projects", None)]),
    ("It puts forward 4 major tasks and 12 specific actions.",
     [("provision", "number of major tasks in the document", Decimal(4), "tasks", None),
      ("provision", "number of specific actions in the document", Decimal(12), "actions", None)]),
    ("This circular also lists 3 pilot programmes.",
     [("provision", "number of pilot programmes in the circular", Decimal(3), "programmes", None)]),
    ("The Measures comprise 26 articles in five chapters.",
     [("provision", "number of articles in the measures", Decimal(26), "articles", None)]),
    ("The 15th Five-Year Plan outlines nine key tasks.",
     [("provision", "number of key tasks in the 15th five-year plan", Decimal(9), "tasks", None)]),
])
def test_count_of_the_documents_parts_is_a_provision(sentence, want):
    got = find_goals(sentence, 1000, context_year=2026)
    assert _counts(sentence, context_year=2026) == want
    # evidence quotes the clause that states the count, at document offsets
    for g, (_, _, value, _, _) in zip(got, want):
        quoted = sentence[g.start - 1000:g.end - 1000]
        assert value in {q.value for q in find_quantities(quoted)}
        assert g.normalized_unit == UNIT.NUM and g.normalized_value == float(value) and g.comparator == EXACTLY


def test_count_with_a_comparator_keeps_it():
    g = one("The Implementation Plan contains more than 30 measures.")
    assert (g.kind, g.value, g.comparator, g.indicator) == (
        "provision", 30, MORE_THAN, "number of measures in the implementation plan")


def test_count_of_measures_does_not_steal_the_dated_target():
    gs = find_goals("The Notice contains 17 measures to cut 5% of emissions by 2025.", context_year=2024)
    assert [(g.kind, g.value, g.target_year) for g in gs] == [("provision", 17, None), ("target", 5, 2025)]
    target = gs[1]
    assert (target.normalized_unit, target.indicator) == (UNIT.PERCENT, "emissions")


def test_count_provision_lends_nothing_to_the_clause_after_it():
    # the count's clause is no provision that a parallel clause after ";" would continue, and its indicator is no
    # fallback for a clause that names none
    gs = find_goals("The Opinions propose 20 measures; installed capacity should reach 10 GW.")
    assert [(g.kind, g.value, g.unit_text) for g in gs] == [("provision", 20, "measures"), ("target", 10, "GW")]
    gs = find_goals("By 2027, the Opinions propose 20 measures; 10 GW of new solar power.")
    assert [(g.kind, g.value, g.target_year, g.indicator) for g in gs] == [
        ("provision", 20, None, "number of measures in the opinions"), ("target", 10, 2027, "new solar power")]


@pytest.mark.parametrize("sentence", [
    "The 2023 plan was a success for the province.",          # a year, not a count
    "The 2023 plan contains 30 measures.",                    # a plan of a past year: another document
    "The Plan sets out 2030 targets for wind power.",         # a year before a noun, not a count
    "This is one of the measures the notice describes.",      # "one of", not a count
    "In 2023, 30 projects were completed.",                   # a past count, not the document's
    "In 2023, the Plan listed 30 projects.",                  # a past year: a statistic
    "So far, the plan has listed 30 projects.",               # a past marker: a statistic
    "Local governments outline 12 measures of their own.",    # not the document as subject
    "The Plan outlines 12 charging stations near ports.",     # stations are no part of a document
    "The Plan supports a total of 70 measures-related pilot counties.",  # no verb of containing
])
def test_not_a_count_of_the_documents_parts(sentence):
    assert not [g for g in find_goals(sentence, context_year=2024) if g.indicator.startswith("number of")]


def test_count_of_projects_with_a_due_year_stays_a_target():
    gs = find_goals("The Plan outlines 8 major projects to be completed by 2027.")
    assert [(g.kind, g.value, g.target_year) for g in gs] == [("target", 8, 2027)]


def test_past_count_stays_a_statistic_with_context_year():
    assert find_goals("In 2023, 30 projects were completed and the plan included 12 measures.", context_year=2024) == []


@pytest.mark.parametrize("make, size", [
    (lambda n: "The Notice contains " + "17 measures, " * n, 8000),
    (lambda n: "It lists 5 tasks and " * n, 5000),
    (lambda n: "the " + "plan " * n + "contains 5 measures.", 20000),
    (lambda n: "The Notice" + " " * n + "contains" + " " * n + "17 measures", 50000),
    (lambda n: "(" * n + "the plan contains 4 tasks " * n, 3000),
], ids=["repeated-counts", "repeated-and", "long-subject", "space-runs", "open-parentheses"])
def test_count_rule_is_fast_on_long_inputs(make, size):
    # each count looks back a bounded window; quantities in parentheses are found in one pass; a sentence's
    # modals are found once for all its "and"s (each of these took 10-25 s before)
    assert_linear(find_goals, make, size)
