"""The place check: form letters about different places are similar, not duplicates."""

from __future__ import annotations

import pytest

from minsheng.triage.duplicates import place_names, places_differ

LETTER = (
    "{district}{estate}小区底层餐馆油烟扰民\n"
    "{district}{road}路{estate}小区底层开了几家餐馆，油烟直排，晾在外面的衣服全是油烟味，"
    "晚上营业到凌晨，锅碗声吵得居民无法休息，请相关部门为我们小区解决这个问题。"
)


def _letter(district="A5区", estate="桂花苑", road="芙蓉"):
    return LETTER.format(district=district, estate=estate, road=road)


@pytest.mark.parametrize(
    ("other", "differ"),
    [
        (_letter(estate="翠竹园", district="A2区", road="湘江"), True),  # another estate
        (_letter(estate="翠竹园"), True),  # same district and road, another estate
        (_letter(district="A2区"), True),  # another district
        (_letter(), False),  # the same letter again
        (_letter().replace("油烟直排", "油烟一直直排"), False),  # an edited repost
    ],
)
def test_form_letter_about_another_place(other, differ):
    # when the letter is compared with a copy about (maybe) another place
    result = places_differ(place_names(_letter()), place_names(other))
    # then only a different place counts
    assert result is differ


def test_a_repost_that_adds_or_rewords_the_place_is_the_same_place():
    # given a short post and a longer repost that adds a building and the sub-district
    short = "桂花苑小区门口垃圾堆了三天没人清理，气味很大。"
    longer = "A5区东塘街道桂花苑小区3栋门口垃圾堆了三天没人清理，气味很大，旁边翠竹园小区也一样。"
    # then they are not about different places (only the longer names a building)
    assert not places_differ(place_names(short), place_names(longer))


def test_titles_naming_different_places_over_one_body_are_the_same_case():
    # given one body posted twice under titles that name different places it mentions
    body = "我是桂花苑小区业主，翠竹园小区开发商在两个小区之间修路，挡住了我们的消防通道。"
    first = "桂花苑小区消防通道被堵\n" + body
    second = "翠竹园小区开发商违规修路\n" + body
    # then each title's place occurs in the other text, so they do not differ
    assert not places_differ(place_names(first), place_names(second))


def test_a_misspelt_name_is_not_another_place():
    first = "芙蓉路桂花苑小区门口井盖缺失，晚上行人容易掉进去。"
    second = "芙蓉路贵花苑小区门口井盖缺失，晚上行人容易掉进去。"
    assert not places_differ(place_names(first), place_names(second))


def test_small_words_and_generic_places_are_not_names():
    # "我们小区", "该小区", "马路" and a route ("公交线路") name no particular place
    names = place_names("我们小区和该小区旁边的马路上，公交线路太少。").names
    assert names == {}


def test_building_numbers_and_district_codes_must_match_exactly():
    first = place_names("A3区桂花苑小区5栋电梯坏了一个月。")
    assert places_differ(first, place_names("A3区桂花苑小区7栋电梯坏了一个月。"))
    assert places_differ(first, place_names("A4区桂花苑小区5栋电梯坏了一个月。"))


def test_gazetteer_regions_count_with_their_ancestors():
    # given region chains (code, *ancestors) as the gazetteer gives them
    district = place_names("电梯坏了一个月。", regions=[("430111", "430100")])
    city = place_names("电梯坏了一个月。", regions=[("430100",)])
    other = place_names("电梯坏了一个月。", regions=[("430102", "430100")])
    # then a district is not a different place from its city, but is from another district
    assert not places_differ(district, city)
    assert places_differ(district, other)
