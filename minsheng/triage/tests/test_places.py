"""Gazetteer / find_places(): regions and street-level places named in a clue."""

from __future__ import annotations

import pytest

from minsheng.directory.choices import RegionLevel
from minsheng.directory.models import Region
from minsheng.triage.places import (
    Gazetteer,
    GazetteerEntry,
    derived_short_forms,
    find_places,
    free_place_text,
)


@pytest.fixture
def gazetteer() -> Gazetteer:
    """A fictional slice of a province, plus Teddy-style anonymised names."""
    return Gazetteer(
        [
            GazetteerEntry("430000", "湖南省", 1),
            GazetteerEntry("430100", "长沙市", 2, "430000"),
            GazetteerEntry("430111", "雨花区", 3, "430100"),
            GazetteerEntry("430104", "岳麓区", 3, "430100", ("麓山",)),
            GazetteerEntry("430121", "长沙县", 3, "430100"),
            GazetteerEntry("430300", "湘潭市", 2, "430000"),
            GazetteerEntry("430302", "雨湖区", 3, "430300"),
            GazetteerEntry("430111001", "东塘街道", 4, "430111"),
            GazetteerEntry("999000", "A市", 2),
            GazetteerEntry("999002", "A2区", 3, "999000"),
            GazetteerEntry("999003", "A3区", 3, "999000"),
            GazetteerEntry("999002001", "桂花坪街道", 4, "999002"),
            GazetteerEntry("999100", "J10县", 3),
        ]
    )


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("雨花区", ["雨花"]),
        ("长沙市", ["长沙"]),
        ("湖南省", ["湖南"]),
        ("桂花坪街道", ["桂花坪"]),
        ("湘西土家族苗族自治州", ["湘西土家族苗族"]),
        ("A市", []),  # one Latin letter is no name
        ("A3区", []),
        ("东区", []),  # one character left
        ("新城区", []),  # an everyday word
    ],
)
def test_derived_short_forms(name, short):
    assert derived_short_forms(name) == short


def test_city_and_district_give_the_district(gazetteer):
    # given a message naming the city then the district
    result = gazetteer.find_places("长沙市雨花区东风路18号路面塌陷")
    # then both are matched and the district is the best region
    assert [m.name for m in result.matches] == ["长沙市", "雨花区"]
    assert result.best is not None
    assert result.best.code == "430111"
    assert result.best.matched == "雨花区"
    assert (result.best.start, result.best.end) == (3, 6)


def test_a_district_alone_is_enough(gazetteer):
    assert gazetteer.find_places("我住在雨花区，小区停水").best_code == "430111"


def test_short_forms_are_matched(gazetteer):
    result = gazetteer.find_places("湖南长沙雨花一带经常停电")
    assert [m.code for m in result.matches] == ["430000", "430100", "430111"]
    assert result.best_code == "430111"


def test_a_shared_short_form_prefers_the_higher_level_without_context(gazetteer):
    # "长沙" is derived from both 长沙市 and 长沙县
    assert gazetteer.find_places("长沙的公交太挤").best_code == "430100"


def test_an_official_name_wins_over_a_derived_form(gazetteer):
    assert gazetteer.find_places("长沙县星沙街道").best_code == "430121"


def test_the_longest_name_wins_at_a_position(gazetteer):
    # "雨湖区" must not be read as anything shorter
    result = gazetteer.find_places("湘潭雨湖区")
    assert [m.matched for m in result.matches] == ["湘潭", "雨湖区"]


def test_a_place_name_inside_a_road_name_is_not_a_region(gazetteer):
    result = gazetteer.find_places("岳麓区麓山南路的人行道坏了")
    assert [m.matched for m in result.matches] == ["岳麓区"]
    assert "麓山南路" in result.places


def test_an_inconsistent_mention_loses_to_the_backed_one(gazetteer):
    # given a district of one city and a district of another city, only one city named
    result = gazetteer.find_places("湘潭市雨湖区的亲戚来雨花区上班")
    assert result.best_code == "430302"


def test_teddy_style_anonymised_names(gazetteer):
    result = gazetteer.find_places("位于A市A2区桂花坪街道的宿舍区（景蓉华苑）出现乱象")
    assert [m.name for m in result.matches] == ["A市", "A2区", "桂花坪街道"]
    assert result.best_code == "999002001"
    assert "景蓉华苑" in result.places


@pytest.mark.parametrize("text", ["BA3区的问题", "A33区", "A3纸不够"])
def test_anonymised_names_need_a_boundary(gazetteer, text):
    assert gazetteer.find_places(text).matches == []


def test_county_alone(gazetteer):
    assert gazetteer.find_places("J10县某村的路灯").best_code == "999100"


def test_nothing_found(gazetteer):
    result = gazetteer.find_places("物业费太贵了")
    assert result.matches == []
    assert result.best is None
    assert result.places == []


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("东风路18号景蓉华苑3栋2单元501漏水", ["东风路18号", "景蓉华苑3栋2单元501"]),
        ("潇楚南路洋湖段怎么还没修好", ["潇楚南路"]),
        ("阳光家园小区门口的垃圾没人清理", ["阳光家园小区"]),
        ("枫林社区旁边的实验小学放学时堵车", ["枫林社区", "实验小学"]),
        ("本小区的马路上全是积水", []),
        ("我们小区路灯坏了", []),
        ("5栋的电梯坏了", ["5栋"]),
        ("", []),
    ],
)
def test_free_place_text(text, places):
    assert free_place_text(text) == places


def test_find_places_without_a_gazetteer_returns_free_text_only():
    result = find_places("人民路88号门口占道经营")
    assert result.matches == []
    assert result.places == ["人民路88号"]


def test_empty_gazetteer():
    assert len(Gazetteer([])) == 0
    assert Gazetteer([]).find_places("长沙市").matches == []


@pytest.mark.django_db
def test_from_regions_reads_names_aliases_and_parents():
    # given a few Region rows, one with aliases and one inactive
    city = Region.objects.create(code="990100", name="A市", level=RegionLevel.PREFECTURE)
    district = Region.objects.create(
        code="990103",
        name="A3区",
        short_name="洋湖新城, 阿三区",
        level=RegionLevel.COUNTY,
        parent=city,
    )
    Region.objects.create(
        code="990103001", name="坪塘街道", level=RegionLevel.TOWNSHIP, parent=district
    )
    Region.objects.create(
        code="990109", name="A9区", level=RegionLevel.COUNTY, parent=city, is_active=False
    )
    # when the gazetteer is built from the table
    gazetteer = Gazetteer.from_regions(Region.objects.all())
    # then names, aliases, derived forms and ancestry all work
    assert len(gazetteer) == 3
    assert gazetteer.ancestors("990103001") == ["990103", "990100"]
    assert gazetteer.find_places("A市坪塘的路").best_code == "990103001"
    assert gazetteer.find_places("阿三区停电").best_code == "990103"
    assert gazetteer.find_places("洋湖新城堵车").best_code == "990103"
    assert gazetteer.find_places("A9区").matches == []
