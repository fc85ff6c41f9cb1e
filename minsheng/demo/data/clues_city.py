"""Demo clues about housing, city management, transport, fire safety and the environment.

Every person here is fictional.
"""

from __future__ import annotations

from minsheng.demo.data.accounts import CITIZEN_PERSON
from minsheng.demo.story import (
    Accept,
    Answer,
    Approve,
    Channel,
    Close,
    Conclusion,
    DemoClue,
    Dispatch,
    Outcome,
    Person,
    Priority,
    Rate,
    Report,
    RequestExtension,
    RequestInfo,
    Satisfaction,
    SendBack,
    Triage,
    VerificationMethod,
    Verify,
    Withdraw,
)

M = VerificationMethod
HOTLINE = Channel.PHONE_IMPORT

HOUSING = (
    DemoClue(
        key="housing-01",
        days_ago=6,
        time="10:15",
        title="老旧小区加装电梯，一楼住户不同意卡住了",
        content=(
            "我们单元七层，大部分住户都签字同意加装电梯，资金也筹好了，但一楼两户坚决反对，"
            "街道和社区协调了几次没有结果，希望住建部门出面协调，明确政策。"
        ),
        category="住房和城乡建设/老旧小区改造/加装电梯",
        region="芙蓉区",
        place="芙蓉区某老旧小区3单元",
        person=Person("胡春生", "13808459126", "长沙市芙蓉区", "430105195604281211"),
        story=(Dispatch(after=2), Accept(after=20)),
    ),
    DemoClue(
        key="housing-02",
        days_ago=42,
        time="16:50",
        title="物业不打扫卫生，楼道垃圾堆了一个星期",
        content="小区物业已经一个星期没有打扫楼道了，垃圾堆在楼梯口发臭，物业费照收，请住建部门管一管。",
        category="住房和城乡建设/物业管理/物业服务",
        region="望城区",
        place="望城区某小区",
        person=None,
        story=(
            Dispatch(after=16),
            Accept(after=2),
            Verify(
                after=26,
                method=M.ON_SITE,
                performed_by="罗斌、街道物业办",
                findings="现场检查各楼道清洁，查阅保洁记录，未发现垃圾堆积；小区垃圾每日清运。",
            ),
            Verify(
                after=2,
                method=M.ONLINE_INTERVIEW,
                performed_by="罗斌",
                findings="电话回访业主委员会主任及三户业主，均表示近期保洁正常。",
            ),
            Report(
                after=20,
                methods=(M.ON_SITE, M.ONLINE_INTERVIEW),
                findings="现场与走访均未发现反映的情况。",
                conclusion=Conclusion.NOT_SUBSTANTIATED,
                actions_taken="提醒物业公示保洁计划，接受业主监督。",
                proposed_answer="经现场核查和走访，未发现楼道垃圾长期堆积的情况，已要求物业公示保洁计划。",
            ),
            Approve(after=3),
            Answer(after=1, text="经核查未发现楼道垃圾长期堆积，已要求物业公示保洁计划。"),
            Close(after=100, outcome=Outcome.NOT_SUBSTANTIATED, note="匿名反映，无法回访。"),
        ),
    ),
    DemoClue(
        key="housing-03",
        days_ago=38,
        time="09:00",
        title="物业费纠纷已经起诉，要求督促法院尽快判决",
        content="我和物业公司的物业费纠纷已经起诉到法院三个多月了，一直没有开庭，请政府督促法院尽快判决。",
        category="住房和城乡建设/物业管理/物业收费",
        region="雨花区",
        place="雨花区",
        person=Person("欧阳芳", "13469548807"),
        story=(
            Dispatch(after=3),
            Accept(after=4),
            Report(
                after=30,
                methods=(M.ONLINE_INTERVIEW,),
                findings="该物业费纠纷已进入诉讼程序，审理进度属人民法院职权，行政机关不能干预。",
                conclusion=Conclusion.PARTLY,
                actions_taken="电话告知群众向受理法院查询案件进度。",
                proposed_answer=(
                    "您反映的纠纷已进入诉讼程序，案件审理进度由人民法院依法决定，"
                    "建议您向雨花区人民法院立案庭查询或通过12368诉讼服务热线反映。"
                ),
            ),
            Approve(after=4),
            Answer(after=1, text="案件审理属人民法院职权，请向雨花区人民法院查询案件进度。"),
            Rate(after=30, satisfaction=Satisfaction.BASIC),
            Close(
                after=2,
                outcome=Outcome.OUTSIDE_REMIT,
                note="诉讼中的案件，行政机关不能干预审判。",
                responsible_body="雨花区人民法院",
            ),
        ),
    ),
    DemoClue(
        key="housing-04",
        days_ago=28,
        time="11:45",
        title="新房逾期半年还不交房",
        content="购买的期房合同约定今年四月交房，现在已经过了半年，开发商一直说在整改，没有明确交房时间。",
        category="住房和城乡建设/房地产市场/逾期交房",
        region="长沙县",
        place="长沙县星沙某楼盘",
        person=CITIZEN_PERSON,
        by_citizen_account=True,
        story=(
            Dispatch(after=2),
            Withdraw(after=60, reason="开发商已经通知下个月交房并书面承诺违约金，先撤回。"),
        ),
    ),
)

CITY = (
    DemoClue(
        key="city-01",
        days_ago=47,
        time="14:10",
        title="楼顶加盖违章建筑，还在继续施工",
        content="雨花区左家塘街道某小区顶楼住户在楼顶加盖两间房，最近周末还在施工，楼下住户天花板开始渗水。",
        category="城市管理/违法建设/违章建筑",
        region="左家塘街道",
        place="雨花区左家塘街道某小区8栋楼顶",
        person=Person("贺敏", "15084762290"),
        story=(
            Dispatch(after=2),
            Accept(after=3),
            Verify(
                after=20,
                method=M.ON_SITE,
                performed_by="何丽、区城管执法中队",
                findings="楼顶新建砖混结构房屋约40平方米，无规划许可，属违法建设。",
            ),
            Report(
                after=200,
                methods=(M.ON_SITE,),
                findings="楼顶违法建设属实。",
                conclusion=Conclusion.SUBSTANTIATED,
                actions_taken="下达限期拆除决定书，当事人已自行拆除，恢复楼顶防水层。",
                proposed_answer="楼顶违法建设已由当事人自行拆除，防水层已恢复，请您监督。",
            ),
            Approve(after=4),
            Answer(after=2, text="楼顶违法建设已拆除，防水层已恢复。"),
            Rate(after=48, satisfaction=Satisfaction.VERY_SATISFIED),
            Close(after=1, outcome=Outcome.RESOLVED),
        ),
    ),
    DemoClue(
        key="city-02",
        hours_ago=20,
        title="菜市场门口占道经营，早上车都过不去",
        content="岳麓区一菜市场门口每天早上流动摊贩占满人行道和半边车道，早高峰车辆和行人都过不去。",
        category="城市管理/市容秩序/占道经营",
        region="岳麓区",
        place="岳麓区某菜市场门口",
        person=None,
        story=(Dispatch(after=3),),
    ),
    DemoClue(
        key="city-03",
        days_ago=3,
        time="08:10",
        channel=HOTLINE,
        receive_after=0.3,
        priority=Priority.HIGH,
        title="人行道井盖缺失，晚上有人踩空",
        content="雨花亭街道一条路的人行道上有个井盖不见了，只放了个塑料桶，昨晚有老人差点踩空。",
        category="城市管理/市政设施/井盖缺失",
        region="雨花亭街道",
        place="雨花区雨花亭街道某路人行道",
        person=Person("汤卫东", "13875906634"),
        story=(
            Dispatch(after=0.5),
            Accept(after=0.5),
            Report(
                after=6,
                methods=(M.ON_SITE,),
                findings="雨水井盖被盗属实。",
                conclusion=Conclusion.SUBSTANTIATED,
                actions_taken="当日补装防盗井盖，并排查周边井盖。",
                proposed_answer="缺失的井盖已于当日补装为防盗井盖，周边井盖已排查，感谢您的反映。",
            ),
        ),
    ),
    DemoClue(
        key="city-04",
        hours_ago=5,
        title="小区门口垃圾站三天没清运",
        content="天心区一个小区门口的垃圾站已经三天没人清运了，垃圾溢出来，气味很大。",
        category="城市管理/环境卫生/垃圾清运不及时",
        region="天心区",
        place="天心区某小区门口垃圾站",
        person=Person("袁媛", "13517310928"),
        story=(
            Triage(after=1, priority=Priority.HIGH, reason="垃圾溢出影响环境卫生，提高优先级。"),
        ),
    ),
)

TRANSPORT = (
    DemoClue(
        key="transport-01",
        days_ago=36,
        time="17:20",
        title="县道上一个大坑，已经有电动车摔倒",
        content="望城区一条县道靠近学校的路段有个大坑，下雨天积水看不见，已经有两辆电动车摔倒。",
        category="交通运输/道路建设养护/道路坑洼",
        region="望城区",
        place="望城区某县道学校路段",
        person=Person("朱立新", "15211178840"),
        story=(
            Dispatch(after=15),
            Accept(after=2),
            Report(
                after=70,
                methods=(M.ON_SITE,),
                findings="路面坑槽属实，面积约2平方米。",
                conclusion=Conclusion.SUBSTANTIATED,
                actions_taken="设置警示标志，次日完成坑槽修补。",
                proposed_answer="该路段坑槽已修补完成，感谢您的反映。",
            ),
            Approve(after=3),
            Answer(after=2, text="坑槽已修补完成。"),
            Rate(after=24, satisfaction=Satisfaction.SATISFIED),
            Close(after=1, outcome=Outcome.RESOLVED),
        ),
    ),
    DemoClue(
        key="transport-02",
        days_ago=18,
        time="12:00",
        title="建议增开到地铁站的公交线路",
        content="我们小区到最近的地铁站有三公里，没有直达公交，早上打车很难，建议增开一条接驳公交线路。",
        category="交通运输/公共交通/公交线路调整",
        region="长沙县",
        place="长沙县某小区",
        person=Person("邹玉梅", "13657488215"),
        story=(
            Dispatch(after=2),
            Accept(after=6),
            Report(
                after=100,
                methods=(M.REMOTE_DOCUMENTS, M.ONLINE_INTERVIEW),
                findings="该片区客流调查显示早高峰接驳需求较大，已纳入明年线网优化方案研究。",
                conclusion=Conclusion.SUBSTANTIATED,
                actions_taken="将该小区至地铁站接驳线路纳入线网优化方案。",
                proposed_answer="您的建议已纳入明年公交线网优化方案研究，开通后将通过公交集团公众号公布。",
            ),
            Approve(after=5),
            Answer(after=3, text="建议已纳入明年公交线网优化方案研究。"),
        ),
    ),
)

FIRE = (
    DemoClue(
        key="fire-01",
        days_ago=26,
        time="15:40",
        channel=HOTLINE,
        receive_after=0.2,
        priority=Priority.URGENT,
        title="商场安全出口被货物堵死",
        content="芙蓉区一个商场三楼的安全出口被货物和纸箱堵死了，门也上了锁，周末人很多，非常危险。",
        category="消防安全/消防隐患/消防通道堵塞",
        region="芙蓉区",
        place="芙蓉区某商场三楼",
        person=None,
        story=(
            Dispatch(after=0.2),
            Accept(after=0.3),
            Verify(
                after=2,
                method=M.ON_SITE,
                performed_by="唐军、辖区消防救援站",
                findings="三楼东侧安全出口堆放货物并锁闭，属实。",
            ),
            Report(
                after=20,
                methods=(M.ON_SITE,),
                findings="安全出口堵塞锁闭属实。",
                conclusion=Conclusion.SUBSTANTIATED,
                actions_taken="当场责令清除堆放物、开启锁闭出口，依法下达责令改正通知书并处罚款。",
                proposed_answer="商场安全出口已当场清理并开启，已依法处罚并将持续复查。",
            ),
            Approve(after=3),
            Answer(after=1, text="安全出口已清理开启，商场已被依法处罚。"),
            Close(after=72, outcome=Outcome.RESOLVED, note="匿名反映，已复查。"),
        ),
    ),
    DemoClue(
        key="fire-02",
        days_ago=10,
        time="21:15",
        title="楼道里天天有人给电动车充电",
        content="我们楼有几户每天晚上把电动车推进楼道，从家里拉电线充电，物业劝了也不听，担心起火。",
        category="消防安全/消防隐患/电动自行车楼道充电",
        region="银盆岭街道",
        place="岳麓区银盆岭街道某小区",
        person=Person("廖红霞", "18692260571"),
        story=(
            Dispatch(after=12),
            Accept(after=2),
            RequestInfo(after=5, question="请提供具体楼栋和单元号，以及常见充电的时间段。"),
        ),
    ),
)

ENVIRONMENT = (
    DemoClue(
        key="env-01",
        days_ago=16,
        time="10:30",
        title="小区旁边的河沟发黑发臭",
        content="开福区小区旁边的一条河沟最近水发黑，夏天臭味更重，怀疑有污水直排，希望治理。",
        category="生态环境/水污染/黑臭水体",
        region="开福区",
        place="开福区某小区旁河沟",
        person=Person("谭国庆", "13908451276"),
        story=(
            Dispatch(after=2),
            Accept(after=5),
            Verify(
                after=30,
                method=M.ON_SITE,
                performed_by="彭亮、区环境监测站",
                findings="河沟水体发黑，沿岸发现两处疑似雨污混接排口，已采样送检。",
            ),
            RequestExtension(
                after=120,
                days=8,
                reason="水样检测和排口溯源需要约一周，涉及多个排水户，申请延期8个工作日。",
            ),
        ),
    ),
    DemoClue(
        key="env-02",
        days_ago=22,
        time="23:30",
        title="工厂夜里机器轰鸣，吵得整晚睡不着",
        content="雨花区洞井街道附近一家工厂每天夜里十一点以后还在生产，机器轰鸣声很大，周边居民无法入睡。",
        category="生态环境/噪声污染/工业噪声",
        region="洞井街道",
        place="雨花区洞井街道某工厂",
        person=Person("雷鸣", "15802580317"),
        story=(
            Dispatch(after=9),
            Accept(after=2),
            Report(
                after=200,
                methods=(M.ONLINE_INTERVIEW,),
                findings="电话联系企业，企业表示已调整生产时间，夜间不再生产。",
                conclusion=Conclusion.PARTLY,
                actions_taken="要求企业夜间停产。",
                proposed_answer="企业已承诺夜间停止生产。",
            ),
            SendBack(
                after=200,
                reason="仅电话询问企业，未进行夜间噪声监测，也未回访周边居民，请补充夜间监测数据后重新报送。",
            ),
        ),
    ),
)

CLUES = HOUSING + CITY + TRANSPORT + FIRE + ENVIRONMENT
