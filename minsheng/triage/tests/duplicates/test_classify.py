from __future__ import annotations

import pytest

from minsheng.triage.duplicates import Match, classify, place_names


@pytest.mark.parametrize(
    ("match", "expected"),
    [
        (Match(clue_id=1, score=1.0, exact=True), "likely"),
        (Match(clue_id=1, score=0.75, exact=False), "likely"),
        (Match(clue_id=1, score=0.5, exact=False), "similar"),
        (Match(clue_id=1, score=0.5, exact=False, same_complainant=True), "likely"),
        (Match(clue_id=1, score=0.3, exact=False, same_complainant=True), "dropped"),
        (Match(clue_id=1, score=0.2, exact=False), "dropped"),
    ],
)
def test_classify(match, expected):
    # when one match is classified
    result = classify([match])
    # then it lands in exactly the expected list
    got = "likely" if result.likely_duplicates else "similar" if result.similar else "dropped"
    assert got == expected


QUERY = "A5区桂花苑小区底层餐馆油烟扰民，晚上营业到凌晨，请相关部门处理。"
OTHER_PLACE = "A2区翠竹园小区底层餐馆油烟扰民，晚上营业到凌晨，请相关部门处理。"


@pytest.mark.parametrize(
    ("match", "expected"),
    [
        (Match(clue_id=1, score=0.8, exact=False), "similar"),
        (Match(clue_id=1, score=0.5, exact=False, same_complainant=True), "similar"),
        (Match(clue_id=1, score=0.3, exact=False), "dropped"),
        (Match(clue_id=2, score=0.8, exact=False), "likely"),  # no place names known for it
        (Match(clue_id=1, score=1.0, exact=True), "likely"),
    ],
)
def test_a_match_about_another_place_is_only_similar(match, expected):
    # given the place names of the query and of clue 1, a letter about another estate
    places = {1: place_names(OTHER_PLACE)}
    # when classified with the place check
    result = classify([match], query_places=place_names(QUERY), places=places)
    # then a different place caps it at "similar"; exact bodies and unknown texts keep rules
    got = "likely" if result.likely_duplicates else "similar" if result.similar else "dropped"
    assert got == expected


def test_same_place_stays_likely():
    match = Match(clue_id=1, score=0.8, exact=False)
    result = classify([match], query_places=place_names(QUERY), places={1: place_names(QUERY)})
    assert result.likely_duplicates == [match]
