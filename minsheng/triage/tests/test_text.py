"""normalise(): canonical text for the rule steps and the classifier."""

from __future__ import annotations

import openpyxl
import pytest

from minsheng.testing.shared_data import shared_file
from minsheng.triage.text import normalise, strip_boilerplate


def test_full_width_becomes_half_width():
    # given a message typed with a full-width keyboard
    text = "电话：１３８００１３８０００，Ａ市Ａ３区"
    # when normalised
    result = normalise(text)
    # then digits and Latin letters are half-width
    assert result.text == "电话:13800138000,A市A3区"


def test_html_tags_scripts_and_entities_are_removed():
    text = (
        "<div><p>小区&nbsp;停水&amp;停电</p><script>alert('x')</script>"
        "<style>p{color:red}</style><!-- 注释 --><br/>三天了</div>"
    )
    result = normalise(text)
    assert result.text == "小区停水&停电三天了"


def test_a_lone_less_than_sign_in_prose_survives():
    assert normalise("室温<5度，暖气不热").text == "室温<5度,暖气不热"


def test_whitespace_runs_from_spreadsheets_are_collapsed():
    # given the tab and newline runs that spreadsheet cells carry
    text = "\n\t\t\t\t\t\n\t\t\t\t\t2019年4月以来，小区\t\t物业  乱收费\n\n"
    result = normalise(text)
    # then one space remains only between non-Chinese characters
    assert result.text == "2019年4月以来,小区物业乱收费"


def test_control_and_zero_width_characters_are_dropped():
    assert normalise("路灯\u200b坏了\u0007\ufeff两个月\u200d").text == "路灯坏了两个月"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("尊敬的领导：您好！楼下餐馆油烟扰民。", "楼下餐馆油烟扰民。"),
        ("领导好，学校乱收费。谢谢！", "学校乱收费。"),
        ("您好！路面塌陷，望尽快解决，谢谢！", "路面塌陷,望尽快解决"),
        ("尊敬的李市长您好：公交线路太少。此致敬礼！", "公交线路太少。"),
        ("张书记：小区停水三天。万分感谢", "小区停水三天。"),
    ],
)
def test_greetings_and_closings_are_stripped(raw, expected):
    assert normalise(raw).text == expected


@pytest.mark.parametrize(
    "content",
    [
        "小区物业领导,不作为",
        "望尽快解决",
        "谢谢领导关心,但问题仍未解决,工资还没发",
        "感谢信收到了吗",
    ],
)
def test_content_that_looks_like_boilerplate_is_kept(content):
    assert normalise(content).text == content


def test_a_message_made_only_of_boilerplate_is_not_emptied():
    # stripping everything would leave the operator nothing to read
    assert strip_boilerplate("谢谢!") == "谢谢!"


@pytest.mark.parametrize("text", ["", "   ", "\n\t\u3000", "\u200b\u200b"])
def test_empty_and_blank_inputs_give_empty_text(text):
    result = normalise(text)
    assert result.text == ""
    assert result.truncated is False
    assert result.original_length == len(text)


@pytest.mark.parametrize("text", ["😀😀👍", "Hello world, the road is broken!", "Привет мир"])
def test_emoji_and_non_chinese_text_pass_through(text):
    assert normalise(text).text == text


def test_long_text_is_capped_and_says_so():
    # given a pasted document far above the cap
    text = "小区噪音扰民。" * 2000
    # when normalised with a small cap
    result = normalise(text, max_chars=100)
    # then the text is cut and the caller knows it
    assert len(result.text) == 100
    assert result.truncated is True
    assert result.original_length == len(text)


def test_text_at_the_cap_is_not_truncated():
    result = normalise("路" * 50, max_chars=50)
    assert result.truncated is False


@pytest.mark.shared_data
def test_real_messages_come_out_clean():
    # given the small labelled sample of real messages (spreadsheet whitespace and all)
    book = openpyxl.load_workbook(shared_file("messages_labelled.xlsx"), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    body = rows[0].index("留言详情")
    texts = [str(row[body]) for row in rows[1:] if row[body]]
    # when each is normalised, then no tab, newline or full-width comma survives
    for text in texts:
        result = normalise(text)
        assert "\t" not in result.text
        assert "\n" not in result.text
        assert "，" not in result.text
        assert result.text.strip() == result.text


def test_a_huge_paste_is_cut_before_it_is_processed():
    # given ten megabytes of text
    text = "<p>小区噪音扰民</p>\n" * 600_000
    # when normalised with the default cap, then it is fast enough to finish and says so
    result = normalise(text)
    assert result.truncated is True
    assert len(result.text) <= 5000
    assert result.original_length == len(text)
