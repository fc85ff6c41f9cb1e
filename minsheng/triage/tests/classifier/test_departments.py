"""Weak labels from the department named in a government reply."""

from __future__ import annotations

import csv

import pytest

from minsheng.testing.shared_data import TEDDY_CATEGORIES
from minsheng.triage.classifier.data import read_messages, split_by_reply, unlabelled_files
from minsheng.triage.classifier.departments import DEPARTMENT_NAMES, category_of_reply


@pytest.mark.parametrize(
    ("reply", "category"),
    [
        ("网友您好，经A市住房和城乡建设局核查，该小区违建已拆除。", "城乡建设"),
        ("经市人力资源和社会保障局劳动保障监察支队调查，工资已发放。", "劳动和社会保障"),
        ("A3区教育局回复：该校已停止违规收费。", "教育文体"),
        ("经市场监督管理局执法人员现场检查，商家已整改。", "商贸旅游"),
        ("市生态环境局对该企业排污情况进行了监测。", "环境保护"),
        ("A市卫健委已责成医院核实。", "卫生计生"),
        ("经A市交通运输局调查，该线路将调整。", "交通运输"),
    ],
)
def test_each_category_is_known_by_its_standard_department_name(reply, category):
    assert category_of_reply(reply) == category


def test_the_first_department_named_is_the_one_that_answers():
    # given a reply by the education bureau that mentions the transport bureau later
    reply = "经市教育局核查，已协调市交通局在校门口增设公交站台。"
    # then the education bureau decides, and a limit to known labels skips the other
    assert category_of_reply(reply) == "教育文体"
    assert category_of_reply(reply, categories={"交通运输", "城乡建设"}) == "交通运输"


@pytest.mark.parametrize(
    "reply",
    [
        "",
        "感谢您的留言，已转有关部门办理。",
        "经市公安局交警支队核实，已处理。",
        "住房公积金中心答复",
    ],
)
def test_a_reply_naming_no_single_category_office_gives_no_label(reply):
    assert category_of_reply(reply) == ""


def test_a_transport_construction_bureau_is_not_read_as_construction():
    assert category_of_reply("交通建设局已安排维修") == ""


def test_the_table_covers_the_seven_labelled_categories():
    assert set(DEPARTMENT_NAMES) == set(TEDDY_CATEGORIES)


def test_files_with_a_reply_column_give_weak_labels_and_plain_texts(tmp_path):
    # given an unlabelled file with the reply column of the Teddy Cup layout
    path = tmp_path / "replies.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["留言主题", "留言详情", "答复意见"])
        writer.writerow(["学校乱收费", "补课费太高", "经区教育局核查，已退还。"])
        writer.writerow(["路灯不亮", "晚上很黑", "已转相关部门。"])
        writer.writerow(["公交改线", "", ""])
    # when it is read
    rows = read_messages(path)
    plain, weak = unlabelled_files([path], labels={"教育文体", "交通运输"})
    # then each row keeps its reply, and only the reply naming a known office labels its text
    assert rows.replies == ["经区教育局核查，已退还。", "已转相关部门。", ""]
    assert weak == [("学校乱收费\n补课费太高", "教育文体")]
    assert plain == ["路灯不亮\n晚上很黑", "公交改线"]
    assert split_by_reply(rows.texts, rows.replies, labels={"交通运输"}) == ([*rows.texts], [])
