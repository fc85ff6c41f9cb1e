"""Demo clues about wages, pensions, schools, hospitals, markets, salt, and invalid reports.

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
    CoAccept,
    CoContribute,
    Conclusion,
    DemoClue,
    Dispatch,
    Outcome,
    Person,
    Priority,
    Rate,
    Reject,
    RejectionReason,
    Report,
    Satisfaction,
    Triage,
    VerificationMethod,
    Verify,
    Withdraw,
)

M = VerificationMethod
HOTLINE = Channel.PHONE_IMPORT

LABOUR = (
    DemoClue(
        key="labour-01",
        days_ago=44,
        time="08:30",
        channel=HOTLINE,
        receive_after=0.5,
        priority=Priority.HIGH,
        title="工地拖欠三十多名农民工工资，快过年了还没发",
        content=(
            "我们在岳麓区一个住宅工地做泥工和钢筋工，三十多个人，从六月到现在的工资一分没发，"
            "总共三十多万。包工头说开发商没给工程款，快过年了大家都等着钱回家，请政府帮忙讨薪。"
        ),
        category="劳动和社会保障/农民工工资/拖欠农民工工资",
        region="岳麓区",
        place="岳麓区某住宅项目工地",
        person=Person("曾德明", "13548716620", "湖南省邵阳市", "430121197002036832"),
        story=(
            Dispatch(after=1),
            Accept(after=1),
            CoAccept(department="长沙市住房和城乡建设局", after=1),
            Verify(
                after=24,
                method=M.ON_SITE,
                performed_by="谢芳、劳动保障监察支队",
                findings="核实欠薪农民工32人，欠薪38.6万元；总包单位未按月足额支付人工费用。",
            ),
            CoContribute(
                department="长沙市住房和城乡建设局",
                text="已约谈建设单位和总包单位，暂停该项目施工许可变更事项，督促拨付人工费。",
                after=48,
            ),
            Report(
                after=100,
                methods=(M.ON_SITE, M.REMOTE_DOCUMENTS, M.ONLINE_INTERVIEW),
                findings="拖欠农民工工资属实。",
                conclusion=Conclusion.SUBSTANTIATED,
                actions_taken="动用工资保证金并督促总包单位补足，38.6万元已全部发放到32名农民工个人账户。",
                proposed_answer="经查，拖欠工资属实。38.6万元工资已全部发放到位，请核对个人账户。",
            ),
            Approve(after=2),
            Answer(after=1, text="拖欠的38.6万元工资已全部发放到32名农民工个人账户。"),
            Rate(
                after=24, satisfaction=Satisfaction.VERY_SATISFIED, comment="钱都到账了，感谢政府。"
            ),
            Close(after=1, outcome=Outcome.RESOLVED),
        ),
    ),
    DemoClue(
        key="labour-02",
        days_ago=4,
        time="19:50",
        title="餐馆老板拖欠两个月工资不给",
        content="我在天心区一家餐馆做服务员，老板拖欠我九月、十月两个月工资共七千二百元，一直推脱不给。",
        category="劳动和社会保障/劳动关系/拖欠工资",
        region="天心区",
        place="天心区某餐馆",
        person=CITIZEN_PERSON,
        by_citizen_account=True,
        story=(Dispatch(after=13), Accept(after=3)),
    ),
    DemoClue(
        key="pension-01",
        hours_ago=30,
        channel=HOTLINE,
        receive_after=0.3,
        title="退休后养老金核定比预期少很多",
        content="我上个月办理退休，核定的养老金比社保计算器算出来的少了六百多元，想知道是怎么计算的。",
        category="劳动和社会保障/社会保险/养老保险",
        region="开福区",
        place="开福区",
        person=Person("王建国", "13973168825", "长沙市开福区", "430105196603182515"),
        story=(Dispatch(after=2),),
    ),
)

EDUCATION_AND_HEALTH = (
    DemoClue(
        key="edu-01",
        days_ago=15,
        time="20:05",
        title="学校要求统一购买三套校服，费用太高",
        content="孩子所在小学要求每个学生统一购买三套校服，共计六百八十元，而且必须在指定商家购买。",
        category="教育/教育收费/校服费",
        region="雨花区",
        place="雨花区某小学",
        person=None,
        story=(
            Dispatch(after=13),
            Accept(after=3),
            Report(
                after=60,
                methods=(M.REMOTE_DOCUMENTS, M.ONLINE_INTERVIEW),
                findings="学校未经家委会同意要求购买三套校服，违反校服自愿购买规定，属实。",
                conclusion=Conclusion.SUBSTANTIATED,
                actions_taken="责令学校改为自愿购买，已购家庭可申请退换。",
                proposed_answer="学校要求统一购买三套校服违反自愿原则，已责令改正，已购买的可申请退换。",
            ),
            Approve(after=4),
            Answer(after=2, text="已责令学校改为自愿购买校服，已购买的可申请退换。"),
            Rate(after=30, satisfaction=Satisfaction.SATISFIED),
        ),
    ),
    DemoClue(
        key="edu-02",
        days_ago=2,
        time="09:30",
        channel=HOTLINE,
        receive_after=0.3,
        title="孩子入学划片问题咨询",
        content="我家房子在两个学区交界处，想了解明年孩子上小学划分到哪个学校。",
        category="教育/义务教育/入学划片",
        region="岳麓区",
        place="岳麓区",
        person=Person("肖强", "18874832190"),
        story=(
            Withdraw(
                after=3, by_phone=True, reason="来电人表示已在教育局网站查到划片结果，申请撤回。"
            ),
        ),
    ),
    DemoClue(
        key="health-01",
        days_ago=31,
        time="13:20",
        title="大医院挂号排队三个小时",
        content="带老人去一家三甲医院看病，早上七点去排队，挂号、缴费、检查每一步都要排很久，前后花了三个小时。",
        category="卫生健康/医疗服务/看病难",
        region="芙蓉区",
        place="芙蓉区某三甲医院",
        person=Person("胡春生", "13808459126"),
        story=(
            Dispatch(after=3),
            Accept(after=4),
            Report(
                after=80,
                methods=(M.ON_SITE, M.REMOTE_DOCUMENTS),
                findings="该院门诊量大，早高峰排队时间较长；已开通预约挂号、诊间支付和自助机，老年人使用率低。",
                conclusion=Conclusion.PARTLY,
                actions_taken="督促医院增设老年人绿色通道和志愿者引导，推广分时段预约。",
                proposed_answer=(
                    "医院已开通分时段预约挂号和诊间支付，并将增设老年人绿色通道和志愿者引导。"
                    "建议通过预约挂号就诊，可减少排队时间。"
                ),
            ),
            Approve(after=4),
            Answer(after=2, text="医院已开通分时段预约并增设老年人绿色通道，建议预约就诊。"),
            Rate(after=40, satisfaction=Satisfaction.BASIC),
            Close(after=2, outcome=Outcome.EXPLAINED),
        ),
    ),
    DemoClue(
        key="health-02",
        hours_ago=26,
        title="异地就医报销一直没有到账",
        content="母亲在外省住院已备案异地就医，出院三个月了，报销款一直没有到账，窗口说在审核。",
        category="卫生健康/医疗保障/异地就医",
        region="望城区",
        place="望城区",
        person=Person("易建华", "15116287403"),
        story=(),
    ),
)

MARKET_AND_SALT = (
    DemoClue(
        key="market-01",
        days_ago=24,
        time="18:00",
        title="超市虚标原价搞促销",
        content="一家连锁超市标示“原价99元，现价49元”的电饭煲，上周我看到的价格就是49元，属于虚假打折。",
        category="市场监管/价格监管/价格欺诈",
        region="雨花区",
        place="雨花区某连锁超市",
        person=Person("蒋丽", "18229961047"),
        story=(
            Dispatch(after=15),
            Accept(after=2),
            Verify(
                after=30,
                method=M.ON_SITE,
                performed_by="邓宇",
                findings="查阅该商品前七日交易记录，均按49元销售，标示的“原价99元”无交易依据。",
            ),
            Report(
                after=60,
                methods=(M.ON_SITE, M.REMOTE_DOCUMENTS),
                findings="虚构原价促销属实。",
                conclusion=Conclusion.SUBSTANTIATED,
                actions_taken="责令改正价格标示，依法立案处罚。",
                proposed_answer="超市虚构原价属实，已责令改正并立案处罚。",
            ),
            Approve(after=4),
            Answer(after=2, text="超市虚构原价属实，已责令改正并立案处罚。"),
            Close(after=80, outcome=Outcome.RESOLVED),
        ),
    ),
    DemoClue(
        key="salt-01",
        days_ago=27,
        time="11:10",
        title="买的碘盐发黄还有杂质",
        content="在社区小超市买的加碘盐颜色发黄，溶解后有黑色杂质，怀疑是假盐或工业盐，请检查。",
        category="盐业/食盐质量/食盐质量问题",
        region="岳麓区",
        place="岳麓区某社区超市",
        person=Person("龙平", "13787023318"),
        story=(
            Dispatch(after=2),
            Accept(after=3),
            CoAccept(department="长沙市市场监督管理局", after=2),
            Verify(
                after=20,
                method=M.ON_SITE,
                performed_by="贺勇、市场监管所",
                findings="该超市食盐进货渠道为定点批发企业，票据齐全；同批次产品抽样送检。",
            ),
            CoContribute(
                department="长沙市市场监督管理局",
                text="同批次食盐检验结果：氯化钠、碘含量及重金属指标均合格。",
                after=120,
            ),
            Report(
                after=5,
                methods=(M.ON_SITE, M.REMOTE_DOCUMENTS),
                findings="进货渠道合法，同批次抽检合格；发黄系储存受潮，未发现假冒或工业盐。",
                conclusion=Conclusion.NOT_SUBSTANTIATED,
                actions_taken="指导超市改善食盐储存条件，为群众调换同批次新盐。",
                proposed_answer="经抽检，该批次碘盐质量合格，发黄系储存受潮所致，已为您调换新盐。",
            ),
            Approve(after=4),
            Answer(after=2, text="同批次碘盐抽检合格，发黄系储存受潮，已调换新盐。"),
            Close(after=100, outcome=Outcome.NOT_SUBSTANTIATED),
        ),
    ),
    DemoClue(
        key="salt-02",
        hours_ago=30,
        title="甲状腺病人买不到无碘盐",
        content="医生让我吃无碘盐，附近几个超市都只有加碘盐，请问在哪里能买到无碘食盐？",
        category="盐业/食盐质量/碘盐供应",
        region="开福区",
        place="开福区",
        person=Person("邓红梅", "13975137729"),
        story=(Triage(after=2),),
    ),
)

INVALID = (
    DemoClue(
        key="spam-01",
        days_ago=11,
        time="03:12",
        title="专业代办各类证件，快速出证",
        content="专业代办各类证件、资质、发票，价格优惠，快速出证，有意者加微信详谈。",
        category="政策建议/政务服务/办事效率",
        region="长沙市",
        place="",
        person=None,
        story=(Reject(after=6, code=RejectionReason.SPAM, reason="广告信息，与反映问题无关。"),),
    ),
    DemoClue(
        key="scope-01",
        days_ago=19,
        time="15:25",
        channel=HOTLINE,
        receive_after=0.3,
        title="朋友借钱不还，请政府帮忙追讨",
        content="前年借给朋友五万元，有借条，现在他一直不还也不接电话，请政府出面帮我把钱要回来。",
        category="政策建议/社会治理/基层治理",
        region="芙蓉区",
        place="",
        person=Person("欧阳芳", "13469548807"),
        story=(
            Reject(
                after=1,
                code=RejectionReason.OUT_OF_SCOPE,
                reason="属民间借贷纠纷，应通过人民调解或向人民法院起诉解决，已电话告知来电人。",
            ),
        ),
    ),
    DemoClue(
        key="agri-01",
        hours_ago=3,
        title="买的玉米种子出苗率不到三成",
        content="在镇上农资店买的玉米种子，播种后出苗率不到三成，邻居买的同一批也一样，怀疑是假种子。",
        category="农业农村/农资质量/假种子",
        region="长沙县",
        place="长沙县某镇农资店",
        person=Person("段秀兰", "13307488265"),
        story=(),
    ),
)

CLUES = LABOUR + EDUCATION_AND_HEALTH + MARKET_AND_SALT + INVALID
