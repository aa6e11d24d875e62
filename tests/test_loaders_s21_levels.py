"""Session 21: a policy's government level, from the third blind test.

* A body seated in a city ("The Chengdu Branch of the People's Bank of China") that issues a policy whose title
  gives a whole province ("... in Sichuan Province") and no city: the policy is provincial (it was municipal, the
  issuer's level, though its jurisdiction was the province).
* A policy whose title names a county, district or banner ("... Pilot County in Lankao County") is below the
  provincial level: pkg:Municipal, "the governments of prefecture-level cities (and lower local governments)"
  (it was provincial, the level of the province it was placed in).
"""
from __future__ import annotations

from loader_helpers import extract_text, policies_by_title
from policykg.vocab import PKG


def _level_and_region(tmp_path, text: str, title: str):
    g = extract_text(tmp_path, text).graph
    pol = policies_by_title(g)[title]
    return g.value(pol, PKG.governmentLevel), {str(r).rsplit("/", 1)[-1] for r in g.objects(pol, PKG.jurisdiction)}


def test_a_city_body_s_policy_for_a_whole_province_is_provincial(tmp_path) -> None:
    text = (" Subnational Updates\n\nSichuan Province mobilizes green finance.\n\nThe Chengdu Branch of the People's "
            "Bank of China issued Several Measures on Financial\nSupport for Green Development in Sichuan Province.\n\n\n"
            "http://www.sc.gov.cn/10462/2022/6/14/8c3e5f4b.shtml\n")
    assert _level_and_region(tmp_path, text, "Several Measures on Financial Support for Green Development in Sichuan "
                                             "Province") == (PKG.Provincial, {"CN-SC"})


def test_a_city_body_s_policy_for_its_city_stays_municipal(tmp_path) -> None:
    text = (" Subnational Updates\n\nChengdu mobilizes green finance.\n\nThe Chengdu Municipal Development and Reform "
            "Commission issued the Implementation Plan for Green\nDevelopment in Chengdu.\n\n\n"
            "http://fgw.chengdu.gov.cn/cdfgw/c110/2022-06/14/content_1.shtml\n")
    level, regions = _level_and_region(tmp_path, text, "Implementation Plan for Green Development in Chengdu")
    assert level == PKG.Municipal and regions == {"CN-SC"}


def test_a_county_s_policy_is_below_the_provincial_level(tmp_path) -> None:
    text = (" Subnational Updates\n\nLankao County of Henan launched a county-level pilot for the rural energy\n"
            "revolution.\n\nImplementation Plan for the Rural Energy Revolution Pilot County in Lankao County sets out\n"
            "that by 2025, renewable energy will account for more than 90% of electricity generation in\nthe county.\n\n\n"
            "http://www.lankao.gov.cn/zwgk/zcwj/202205/t20220520_1125841.html\n")
    level, regions = _level_and_region(
        tmp_path, text, "Implementation Plan for the Rural Energy Revolution Pilot County in Lankao County")
    assert level == PKG.Municipal and regions == {"CN-HA"}
