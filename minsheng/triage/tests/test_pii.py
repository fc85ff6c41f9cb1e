"""detect_pii() / mask_pii(): personal data in free text, measured on a labelled corpus."""

from __future__ import annotations

from collections import Counter

import pytest

from minsheng.privacy.validators import is_luhn_valid
from minsheng.triage.data.pii_corpus import NEGATIVES, POSITIVES
from minsheng.triage.pii import PiiKind, detect_pii, mask_pii

# The target for phones and ID numbers; other kinds are held to what they reach.
RECALL_TARGET = {"mobile": 0.98, "landline": 0.98, "id_number": 0.98}
RECALL_FLOOR = 0.9
PRECISION_FLOOR = 0.95


def _expected(text: str, pairs: list[tuple[str, str]]) -> set[tuple[str, int, int]]:
    spans = set()
    for kind, value in pairs:
        start = text.find(value)
        assert start >= 0, f"corpus error: {value!r} not in {text!r}"
        spans.add((kind, start, start + len(value)))
    return spans


def _score_corpus() -> tuple[Counter, Counter, Counter]:
    true_pos: Counter = Counter()
    false_neg: Counter = Counter()
    false_pos: Counter = Counter()
    for text, pairs in POSITIVES:
        expected = _expected(text, pairs)
        found = {(span.kind.value, span.start, span.end) for span in detect_pii(text)}
        for item in expected:
            (true_pos if item in found else false_neg)[item[0]] += 1
        for item in found - expected:
            false_pos[item[0]] += 1
    for text in NEGATIVES:
        for span in detect_pii(text):
            false_pos[span.kind.value] += 1
    return true_pos, false_neg, false_pos


def test_corpus_is_large_enough_and_covers_every_kind():
    kinds = {kind for _, pairs in POSITIVES for kind, _ in pairs}
    assert len(POSITIVES) + len(NEGATIVES) >= 100
    assert kinds == {kind.value for kind in PiiKind}


@pytest.mark.parametrize("kind", [kind.value for kind in PiiKind])
def test_recall_and_precision_per_kind(kind):
    # given the labelled corpus, when every sentence is scanned
    true_pos, false_neg, false_pos = _score_corpus()
    recall = true_pos[kind] / (true_pos[kind] + false_neg[kind])
    precision = true_pos[kind] / ((true_pos[kind] + false_pos[kind]) or 1)
    # then recall meets the target (phones, IDs) and precision stays high
    assert recall >= RECALL_TARGET.get(kind, RECALL_FLOOR), (kind, recall)
    assert precision >= PRECISION_FLOOR, (kind, precision)


@pytest.mark.parametrize("text", NEGATIVES)
def test_sentences_without_personal_data_are_left_alone(text):
    assert detect_pii(text) == []
    assert mask_pii(text).text == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我的电话是13807311234。", "我的电话是138****1234。"),
        ("手机 +86 139-0731-5678", "手机 139****5678"),
        ("座机0731-84561234转801", "座机0731-****1234"),
        ("身份证430602195907210494", "身份证4306**********0494"),
        ("工资卡6222021049746507520", "工资卡6222***********7520"),
        ("邮箱zhao_liu@163.com", "邮箱z***@163.com"),
        ("车牌湘A·D12345", "车牌湘A******"),
        ("我叫张三，本人", "我叫张*，本人"),
        ("联系人：欧阳娜娜", "联系人：欧阳**"),
    ],
)
def test_masks_follow_the_privacy_module(text, masked):
    assert mask_pii(text).text == masked


def test_an_id_number_with_a_wrong_check_character_is_not_an_id():
    # given the last character changed from the valid 4 to 1
    text = "身份证430602195907210491"
    # then it is neither an ID nor (no Luhn, no bank context) a card
    assert [span.kind for span in detect_pii(text)] in ([], [PiiKind.BANK_CARD])
    assert PiiKind.ID_NUMBER not in {span.kind for span in detect_pii(text)}


def test_a_legacy_id_needs_a_valid_birth_date():
    assert detect_pii("旧证441302551206174")[0].kind == PiiKind.ID_NUMBER
    assert detect_pii("编号441302551340174") == []  # month 13


def test_a_valid_id_is_not_also_reported_as_a_card():
    spans = detect_pii("卡号430602195907210494")
    assert [span.kind for span in spans] == [PiiKind.ID_NUMBER]


def test_a_long_order_number_passing_luhn_is_not_a_card_without_context():
    # given a 16-digit order number starting with 2 that happens to pass Luhn
    number = next(f"20190425{n:08d}" for n in range(100) if is_luhn_valid(f"20190425{n:08d}"))
    assert detect_pii(f"订单号{number}退款失败") == []
    assert detect_pii(f"退款到卡号{number}")[0].kind == PiiKind.BANK_CARD


def test_spans_point_into_the_text():
    text, _ = POSITIVES[-1]
    for span in detect_pii(text):
        assert text[span.start : span.end] == span.value


def test_masked_text_lists_the_kinds_found():
    result = mask_pii("我叫张三，电话13807311234，邮箱a1@b.cn")
    assert result.kinds == ["email", "mobile", "name"]


@pytest.mark.parametrize("text", ["", "   ", "😀", "12345", "@@@"])
def test_degenerate_inputs(text):
    assert mask_pii(text).text == text
