from __future__ import annotations

import pytest

from minsheng.triage.duplicates import Match, classify


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
