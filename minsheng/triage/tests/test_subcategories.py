"""Second-level categories: learnt where the database has clues filed that deep, suggested
within the first-level branch, and used for routing when clear."""

from __future__ import annotations

import pytest

from minsheng.clues.tests.conftest import World, receive
from minsheng.directory.choices import DepartmentKind
from minsheng.directory.models import Category, Department, ResponsibilityRule
from minsheng.triage import services, training
from minsheng.triage.models import ModelVersion

# Our own short complaints, three ways of saying each problem.
EXAMPLES = {
    ("城市供水供电", "停水"): [
        "小区停水两天了，自来水公司一直没有来维修",
        "楼里突然停水，没有任何通知，做饭洗澡都没水",
        "片区停水时间太长，请尽快恢复供水",
    ],
    ("城市供水供电", "停电"): [
        "小区停电一整晚，电力公司电话打不通",
        "频繁停电，家里冰箱里的东西都坏了",
        "整栋楼停电，电梯困人，请供电局处理",
    ],
    ("交通运输", "公交"): [
        "公交车到站不停，司机态度恶劣",
        "早高峰公交班次太少，等车要四十分钟",
        "公交线路突然取消，附近居民出行困难",
    ],
    ("交通运输", "出租车"): [
        "出租车司机拒载还绕路，要求严查",
        "出租车不打表乱收费，投诉无门",
        "夜间出租车拼客宰客现象严重",
    ],
}


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def branches(world: World) -> dict[str, Category]:
    """Two first-level categories with two second-level ones each, and many filed clues."""
    categories: dict[str, Category] = {}
    for (root_name, child_name), texts in EXAMPLES.items():
        root = categories.get(root_name) or Category.objects.create(name=root_name)
        categories[root_name] = root
        child = Category.objects.create(name=child_name, parent=root)
        categories[child_name] = child
        for round_number in range(4):
            for text in texts:
                receive(
                    world,
                    title=text[:12],
                    content=f"{text}。（第{round_number + 1}次反映）",
                    category=child,
                )
    return categories


@pytest.mark.django_db
def test_a_second_level_model_is_trained_from_clues_filed_that_deep(
    world: World, data_dir, branches
) -> None:
    report = training.triage_train(from_database=True)

    assert report.subcategory is not None
    assert report.subcategory.activated
    assert report.subcategory.kind == "subcategory"
    assert set(report.subcategory.labels) == {
        str(branches[name].pk) for name in ("停水", "停电", "公交", "出租车")
    }
    assert ModelVersion.objects.filter(kind="subcategory", is_active=True).count() == 1
    assert ModelVersion.objects.filter(kind="category", is_active=True).count() == 1


@pytest.mark.django_db
def test_without_deep_labels_no_second_level_model_and_the_reason_is_given(
    world: World, data_dir
) -> None:
    roots = [Category.objects.create(name=name) for name in ("城市供水供电", "交通运输")]
    for (root_name, _child), texts in EXAMPLES.items():
        root = next(r for r in roots if r.name == root_name)
        for n in range(4):
            for text in texts:
                receive(world, title=text[:12], content=f"{text}{n}", category=root)
    report = training.triage_train(from_database=True)
    assert report.subcategory is None
    assert "标注数据不足" in report.subcategory_skipped


@pytest.mark.django_db
def test_triage_suggests_the_second_level_within_the_first_and_routes_by_it(
    world: World, data_dir, branches
) -> None:
    # given a rule at the second level (停电 → the power company)
    power = Department.objects.create(
        name="国网长沙供电公司", kind=DepartmentKind.UTILITY, region=world.city
    )
    ResponsibilityRule.objects.create(category=branches["停电"], lead_department=power)
    training.triage_train(from_database=True)

    # when a new clue about a power cut is triaged
    clue = receive(
        world,
        title="昨晚小区停电",
        content="昨晚整个小区停电，电梯困人，供电公司一直没人接电话。",
        category=None,
        region=None,
    )
    result = services.triage_clue(clue_id=clue.pk)

    # then the second level sits inside the first, and routing uses it
    assert result is not None
    assert result.categories[0]["category_id"] == branches["城市供水供电"].pk
    assert result.subcategories[0]["category_id"] == branches["停电"].pk
    assert result.subcategories[0]["label"] == "停电"
    assert all(
        Category.objects.get(pk=s["category_id"]).parent_id == branches["城市供水供电"].pk
        for s in result.subcategories
    )
    assert abs(sum(s["probability"] for s in result.subcategories) - 1.0) < 1e-6
    assert result.routing["category"] == branches["停电"].pk
    assert result.routing["lead"] == power.pk
