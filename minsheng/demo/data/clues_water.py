"""Demo clues about water supply. Every person here is fictional."""

from __future__ import annotations

from minsheng.demo.story import (
    Accept,
    Answer,
    Approve,
    Channel,
    Close,
    CoAccept,
    CoContribute,
    Conclusion,
    DecideExtension,
    DemoClue,
    Dispatch,
    Escalate,
    Merge,
    Outcome,
    Person,
    Rate,
    Report,
    RequestExtension,
    RequestInfo,
    Satisfaction,
    Urge,
    VerificationMethod,
    Verify,
)

M = VerificationMethod
HOTLINE = Channel.PHONE_IMPORT

WATER = (
    DemoClue(
        key="water-01",
        days_ago=55,
        time="08:40",
        channel=HOTLINE,
        receive_after=0.5,
        title="桂园小区停水两天无人处理",
        content=(
            "雨花区侯家塘街道桂园小区从前天早上开始停水，至今没有恢复，物业说是市政管网的问题，"
            "打供水服务电话也一直占线。小区里有不少老人和小孩，买桶装水都排长队，请尽快恢复供水。"
        ),
        category="供水/供水服务/停水",
        region="侯家塘街道",
        place="雨花区侯家塘街道桂园小区",
        person=Person("刘桂兰", "13874120936", "长沙市雨花区桂园小区6栋"),
        story=(
            Dispatch(after=0.5),
            Accept(after=1),
            CoAccept(department="长沙水业集团", after=0.5),
            Verify(
                after=3,
                method=M.ON_SITE,
                performed_by="刘建军、长沙水业集团抢修班",
                findings="现场查明桂园小区进水总管DN200阀门锈蚀断裂，导致整个小区停水。",
            ),
            CoContribute(
                department="长沙水业集团",
                text="已连夜更换DN200阀门，次日凌晨4时恢复供水，并安排两台送水车临时供水。",
                after=16,
            ),
            Report(
                after=4,
                methods=(M.ON_SITE, M.ONLINE_INTERVIEW),
                findings="进水总管阀门锈蚀断裂导致停水，属实。",
                conclusion=Conclusion.SUBSTANTIATED,
                actions_taken="更换阀门，恢复供水；对片区同批次阀门开展排查。",
                proposed_answer=(
                    "您反映的桂园小区停水问题已处理：进水总管阀门损坏，已于次日凌晨更换并恢复供水。"
                    "我们已对片区同批次阀门开展排查，感谢您的监督。"
                ),
            ),
            Approve(after=3),
            Answer(
                after=1,
                text="桂园小区进水总管阀门损坏已更换，供水已恢复，片区同批次阀门正在排查。",
            ),
            Rate(after=20, satisfaction=Satisfaction.SATISFIED, comment="处理及时，谢谢。"),
            Close(after=2, outcome=Outcome.RESOLVED),
        ),
    ),
    DemoClue(
        key="water-02",
        days_ago=50,
        time="19:15",
        title="望月湖小区高层水压太低，六楼以上经常没水",
        content=(
            "岳麓区望月湖街道一个老小区，每天早晚用水高峰六楼以上水龙头基本不出水，热水器也打不着火，"
            "已经持续半年。希望有关部门检查加压设施，解决高层用水问题。"
        ),
        category="供水/供水服务/水压低",
        region="望月湖街道",
        place="岳麓区望月湖街道望月湖小区",
        person=Person("谭国庆", "13908451276", "长沙市岳麓区望月湖小区"),
        story=(
            Dispatch(after=14),
            Accept(after=2),
            Verify(
                after=30,
                method=M.ON_SITE,
                performed_by="刘建军",
                findings="高峰时段六楼末端水压0.08MPa，低于标准；小区二次加压泵站一台水泵损坏停用。",
            ),
            RequestExtension(
                after=20,
                by="water_head",
                days=5,
                reason="加压泵需整机更换，设备采购和安装需要约一周，申请延期5个工作日。",
            ),
            DecideExtension(after=4, approve=True, reason="同意延期，请按期完成更换。"),
            Report(
                after=150,
                methods=(M.ON_SITE,),
                findings="二次加压泵站水泵损坏导致高层水压不足，属实。",
                conclusion=Conclusion.SUBSTANTIATED,
                actions_taken="更换加压水泵一台，调整泵站运行参数；复测高峰时段六楼水压0.22MPa。",
                proposed_answer="小区加压水泵已更换，高峰时段高层水压已恢复正常，请您留意使用情况。",
            ),
            Approve(after=5),
            Answer(after=2, text="加压水泵已更换，复测高层水压已达标。"),
            Rate(after=30, satisfaction=Satisfaction.VERY_SATISFIED),
            Close(after=1, outcome=Outcome.RESOLVED),
        ),
    ),
    DemoClue(
        key="water-03",
        days_ago=45,
        time="10:05",
        title="这个月水费突然翻了一倍",
        content=(
            "我家三口人，平时每月水费四十元左右，这个月账单一百零三元，家里没有漏水，"
            "怀疑水表有问题或者抄错了，请核实。户号尾号2817。"
        ),
        category="供水/水费水表/水费争议",
        region="砂子塘街道",
        place="雨花区砂子塘街道东方红小区",
        person=Person("陈丽华", "15874196302", "长沙市雨花区东方红小区", "430111196203151426"),
        story=(
            Dispatch(after=2),
            Accept(after=3),
            CoAccept(department="长沙市水务局", after=1),
            Verify(
                after=20,
                method=M.REMOTE_DOCUMENTS,
                performed_by="吴海涛",
                findings="调取近12个月抄表记录，本期读数经照片核对无误，上期为估抄。",
            ),
            Verify(
                after=4,
                method=M.ON_SITE,
                performed_by="吴海涛",
                findings="现场关闭全部用水点后水表仍缓慢走字，查明卫生间马桶水箱进水阀关闭不严。",
            ),
            Report(
                after=3,
                methods=(M.REMOTE_DOCUMENTS, M.ON_SITE),
                findings="水表计量正常；上期估抄偏低、本期补计，加上马桶水箱漏水，导致本期水费偏高。",
                conclusion=Conclusion.NOT_SUBSTANTIATED,
                actions_taken="向用户解释估抄补计情况，现场帮助更换马桶进水阀。",
                proposed_answer=(
                    "经核查，您家水表计量正常。上期为估抄读数偏低，本期按实际读数补计；"
                    "另发现马桶水箱漏水，已帮您更换进水阀。今后如有疑问可拨打供水服务热线。"
                ),
            ),
            Approve(after=6),
            Answer(after=1, text="水表计量正常，本期含上期估抄补计和马桶漏水，已帮助维修。"),
            Rate(after=48, satisfaction=Satisfaction.BASIC, comment="明白了，希望以后按月实抄。"),
            Close(after=2, outcome=Outcome.EXPLAINED, note="估抄补计与户内漏水，已解释并维修。"),
        ),
    ),
    DemoClue(
        key="water-04",
        days_ago=36,
        time="07:50",
        title="二次供水水箱脏，水龙头放出黄水",
        content=(
            "芙蓉区一栋高层住宅，最近一个月早上放出来的自来水发黄，有铁锈味，"
            "楼顶二次供水水箱据说多年没有清洗。家里有孕妇，不敢用来做饭，请监管部门检查。"
        ),
        category="供水/水质问题/二次供水污染",
        region="芙蓉区",
        place="芙蓉区五一大道某高层住宅楼顶水箱",
        person=None,
        story=(
            Dispatch(after=3),
            Accept(after=20),
            Urge(after=380, message="该线索即将到期，请市水务局抓紧核查并报送结果。"),
            Escalate(
                after=240,
                level="listed",
                message="已超过办结期限且涉及饮用水安全，列为挂牌督办，请三个工作日内报送整改情况。",
            ),
        ),
    ),
    DemoClue(
        key="water-05",
        days_ago=8,
        time="16:30",
        title="小区路面一直冒水，自来水管漏了好几天",
        content=(
            "开福区一个小区主干道上有一处地面一直往外冒清水，已经三四天了，路面都泡软了，"
            "估计是地下自来水管漏水，浪费严重，也担心塌陷。"
        ),
        category="供水/供水设施/管道漏水",
        region="开福区",
        place="开福区芙蓉北路附近某小区主干道",
        person=Person("彭小红", "18907315542"),
        story=(
            Dispatch(after=1),
            Accept(after=18),
            RequestInfo(
                after=6,
                question="请提供小区名称、漏水点的具体位置（楼栋附近）及现场照片，便于抢修人员定位。",
            ),
        ),
    ),
    DemoClue(
        key="water-06",
        days_ago=6,
        time="09:10",
        channel=HOTLINE,
        receive_after=0.4,
        title="开福区小区地下水管爆了，路上一直流水",
        content="开福区芙蓉北路附近那个小区里面地下水管漏水好几天了，水一直往外流，没人来修。",
        category="供水/供水设施/管道漏水",
        region="开福区",
        place="开福区芙蓉北路附近某小区",
        person=Person("龙平", "13787023318"),
        story=(
            Merge(
                after=1,
                into="water-05",
                reason="与已转办的同一漏水点线索重复，合并办理，处理结果一并答复。",
            ),
        ),
    ),
    DemoClue(
        key="water-07",
        days_ago=4,
        time="21:40",
        title="计划停水没有提前通知",
        content=(
            "今天上午小区突然停水到下午五点，事后才知道是计划停水检修，"
            "但小区里没有贴任何通知，手机也没有收到短信，很多上班族完全不知情。"
        ),
        category="供水/供水服务/计划停水未提前通知",
        region="洞井街道",
        place="雨花区洞井街道某小区",
        person=Person("曾德明", "13548716620"),
        story=(
            Dispatch(after=11),
            Accept(after=3),
            Report(
                after=24,
                methods=(M.REMOTE_DOCUMENTS, M.ONLINE_INTERVIEW),
                findings="该次停水为计划检修，供水企业提前24小时在官网发布，但未在小区张贴通知。",
                conclusion=Conclusion.PARTLY,
                actions_taken="要求供水企业今后计划停水提前48小时张贴通知并短信告知。",
                proposed_answer=(
                    "该次停水为计划检修，已在网上公告，但未在小区张贴通知，确有不足。"
                    "我们已要求供水企业今后提前48小时张贴通知并发送短信。"
                ),
            ),
        ),
    ),
    DemoClue(
        key="water-08",
        days_ago=9,
        time="11:20",
        title="水表没人来抄，每个月都是估的数",
        content="家里水表在户外表井，已经大半年没有见人来抄表，每月账单都是估算的，要求按实际读数收费。",
        category="供水/水费水表/抄表不准",
        region="岳麓街道",
        place="岳麓区岳麓街道某小区",
        person=Person("易建华", "15116287403"),
        story=(Dispatch(after=3),),
    ),
)

CLUES = WATER
