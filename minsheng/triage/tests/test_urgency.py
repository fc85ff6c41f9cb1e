"""assess_urgency(): danger signals, each with the words that triggered it."""

from __future__ import annotations

import pytest

from minsheng.directory.choices import Priority
from minsheng.triage.urgency import SIGNALS, assess_urgency

# (signal label, level, message that must trigger it)
POSITIVE_CASES = [
    ("火灾", Priority.URGENT, "楼下餐馆着火了，浓烟已经冲到五楼"),
    ("火灾", Priority.URGENT, "仓库发生火灾，周边居民很害怕"),
    ("火灾", Priority.URGENT, "配电房一直在冒烟，没人来管"),
    ("燃气泄漏", Priority.URGENT, "单元楼道里有很浓的煤气味，怀疑燃气泄漏"),
    ("燃气泄漏", Priority.URGENT, "施工挖断了天然气管道泄漏，现场一股味道"),
    ("坍塌", Priority.URGENT, "工地围墙倒塌，压住了路边的电动车"),
    ("坍塌", Priority.URGENT, "小区后山挡土墙坍塌，随时可能滑坡"),
    ("人员被困", Priority.URGENT, "电梯故障，老人被困在里面半小时了"),
    ("人员伤亡", Priority.URGENT, "渣土车撞人，一名学生当场死亡"),
    ("自杀风险", Priority.URGENT, "工资再不给我就只能跳楼了"),
    ("自杀风险", Priority.URGENT, "我被逼得走投无路，不想活了"),
    ("自杀风险", Priority.URGENT, "他说要轻生，家属联系不上他"),
    ("食物中毒", Priority.URGENT, "学校食堂午饭后三十多个学生上吐下泻"),
    ("受伤", Priority.HIGH, "井盖缺失，昨晚一个行人掉下去摔伤了腿"),
    ("受伤", Priority.HIGH, "被流浪狗咬伤，头部流血"),
    ("内涝", Priority.HIGH, "一下雨地下车库就被淹，车都泡了"),
    ("内涝", Priority.HIGH, "小区主水管爆裂，整栋楼停水"),
    ("用电危险", Priority.HIGH, "路边电线裸露，小孩放学都从这里走"),
    ("用电危险", Priority.HIGH, "楼道电表箱漏电，有人被电了一下"),
    ("老人儿童无人照看", Priority.HIGH, "邻居家的孩子独自在家已经两天"),
    ("老人儿童无人照看", Priority.HIGH, "八十岁的老人无人照顾，子女都在外地"),
    ("群体性事件", Priority.HIGH, "上百人聚集在售楼部门口要求退房"),
    ("群体性事件", Priority.HIGH, "几十人堵路抗议征收补偿太低"),
    ("节前欠薪", Priority.HIGH, "包工头拖欠我们工资八个月，马上要过年了"),
    ("节前欠薪", Priority.HIGH, "年底了公司还欠薪，二十多人回不了家"),
    ("疫情", Priority.HIGH, "村里出现了疑似病例，没人来排查"),
    ("人员失踪", Priority.HIGH, "我父亲患老年痴呆，昨天下午走失了"),
    ("房屋安全", Priority.HIGH, "老楼墙体开裂，裂缝越来越大"),
    ("房屋安全", Priority.HIGH, "高空抛物砸坏了楼下的车"),
]


@pytest.mark.parametrize(("label", "level", "text"), POSITIVE_CASES)
def test_each_signal_fires_with_its_words(label, level, text):
    # when a message describing the danger is assessed
    result = assess_urgency(text)
    # then the signal is among the reasons, with text from the message, at its level
    labels = [reason for reason, _ in result.reasons]
    assert label in labels
    matched = dict(result.reasons)[label]
    assert matched in text
    assert result.level == level


def test_every_signal_has_a_positive_case():
    assert {signal.label for signal in SIGNALS} - {label for label, _, _ in POSITIVE_CASES} <= {
        "危险品",
        "暴力威胁",
    }


@pytest.mark.parametrize(
    "text",
    [
        "楼下没有着火，只是烧烤油烟太大",
        "不是燃气泄漏，是下水道的臭味",
        "并没有人受伤，但车被刮花了",
        "经检查未发现漏电，但电费偏高",
        "小区路灯不亮，晚上出行不方便",
        "物业费上涨了百分之二十",
        "孩子上学要走很远的路",
        "希望增加公交班次",
        "",
        "😀",
    ],
)
def test_ordinary_and_negated_messages_stay_normal_or_lower(text):
    result = assess_urgency(text)
    assert result.level in (Priority.NORMAL, Priority.LOW)
    assert all(label == "咨询建议" for label, _ in result.reasons)


def test_a_named_risk_is_one_level_lower_than_the_event():
    # "火灾隐患" is a hazard worth a look, not a fire in progress
    result = assess_urgency("小区楼道堆满杂物，存在火灾隐患")
    assert result.level == Priority.HIGH
    assert result.reasons == [("火灾（隐患）", "火灾")]


def test_an_already_resolved_event_is_downgraded():
    # given a fire the writer says has been put out
    result = assess_urgency("昨晚楼下着火，火已经扑灭了，但是消防通道一直被堵")
    # then it is one level lower and the hint is given as a reason
    assert result.level == Priority.HIGH
    assert ("已处理提示", "已经扑灭") in result.reasons


def test_a_suicide_threat_is_urgent_even_among_other_complaints():
    result = assess_urgency("拖欠工资两年，春节前再不发我就自杀")
    assert result.level == Priority.URGENT
    labels = [label for label, _ in result.reasons]
    assert labels[0] == "自杀风险"
    assert "节前欠薪" in labels


def test_wage_arrears_without_a_holiday_are_not_flagged():
    assert assess_urgency("公司拖欠工资三个月").level == Priority.NORMAL


def test_a_gathering_of_few_people_is_not_a_mass_incident():
    assert assess_urgency("几个邻居在楼下聚集聊天很吵").level == Priority.NORMAL


def test_consultations_are_low():
    result = assess_urgency("咨询一下公积金提取需要什么材料")
    assert result.level == Priority.LOW
    assert result.reasons == [("咨询建议", "咨询")]


def test_more_signals_score_higher_within_a_level():
    one = assess_urgency("路边电线裸露")
    two = assess_urgency("路边电线裸露，一下雨就被淹")
    assert one.level == two.level == Priority.HIGH
    assert two.score > one.score


def test_as_dict_is_json_safe():
    data = assess_urgency("着火了").as_dict()
    assert data == {"level": "urgent", "score": 0.95, "reasons": [("火灾", "着火")]}
