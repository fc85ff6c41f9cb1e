"""The demo logins: one per role, and a handler for each department that acts in a story."""

from __future__ import annotations

from dataclasses import dataclass

from minsheng.accounts.roles import Role
from minsheng.demo.story import Person

DEMO_PASSWORD = "minsheng-demo"  # noqa: S105 - the documented password of demo accounts only


@dataclass(frozen=True)
class DemoAccount:
    """A demo login (password `DEMO_PASSWORD`). `department` is a department's name."""

    username: str
    role: Role
    display_name: str
    department: str = ""
    is_superuser: bool = False
    phone: str = ""
    # Role accounts are listed in the quick start; department accounts only by load_demo.
    per_role: bool = True


WATER_BUREAU = "长沙市水务局"
POWER_COMPANY = "国网长沙供电公司"
SUPERVISION_OFFICE = "长沙市人民政府督查室"

ROLE_ACCOUNTS = (
    DemoAccount("intake", Role.INTAKE, "周敏（受理中心）"),
    DemoAccount("water_handler", Role.DEPT_HANDLER, "刘建军（市水务局）", WATER_BUREAU),
    DemoAccount("water_head", Role.DEPT_HEAD, "陈志强（市水务局负责人）", WATER_BUREAU),
    DemoAccount("power_handler", Role.DEPT_HANDLER, "王磊（长沙供电公司）", POWER_COMPANY),
    DemoAccount("supervisor", Role.SUPERVISOR, "赵文静（市政府督查室）", SUPERVISION_OFFICE),
    DemoAccount("inspector", Role.INSPECTOR, "孙浩（核查组）", SUPERVISION_OFFICE),
    DemoAccount("admin", Role.ADMIN, "系统管理员", is_superuser=True),
    DemoAccount("analyst", Role.ANALYST, "黄思远（数据分析）"),
    DemoAccount("citizen", Role.CITIZEN, "张伟", phone="13975180264"),
)
# The demo citizen's identity on the clues filed from that account.
CITIZEN_PERSON = Person("张伟", "13975180264", "长沙市雨花区圭塘街道")


def _handler(username: str, name: str, department: str) -> DemoAccount:
    return DemoAccount(username, Role.DEPT_HANDLER, name, department, per_role=False)


DEPARTMENT_ACCOUNTS = (
    _handler("watercorp_handler", "吴海涛（长沙水业集团）", "长沙水业集团"),
    _handler("gas_handler", "郑凯（新奥燃气）", "长沙新奥燃气有限公司"),
    _handler("housing_handler", "罗斌（市住建局）", "长沙市住房和城乡建设局"),
    _handler("yuhua_handler", "何丽（雨花区政府）", "雨花区人民政府"),
    _handler("market_handler", "邓宇（市市场监管局）", "长沙市市场监督管理局"),
    _handler("hrss_handler", "谢芳（市人社局）", "长沙市人力资源和社会保障局"),
    _handler("fire_handler", "唐军（市消防救援支队）", "长沙市消防救援支队"),
    _handler("transport_handler", "蒋涛（市交通运输局）", "长沙市交通运输局"),
    _handler("env_handler", "彭亮（市生态环境局）", "长沙市生态环境局"),
    _handler("edu_handler", "曾琳（市教育局）", "长沙市教育局"),
    _handler("health_handler", "易华（市卫健委）", "长沙市卫生健康委员会"),
    _handler("salt_handler", "贺勇（长沙盐业）", "湖南省盐业有限公司长沙分公司"),
)

ACCOUNTS = ROLE_ACCOUNTS + DEPARTMENT_ACCOUNTS
