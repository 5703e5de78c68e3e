"""The ledgers a station exchanges, one spec each (see spec.py for the fields).

Headers are those of the samples in shared/samples (the marketing system's and
the 95598 system's exports); synonyms are what other systems and older
templates call the same column. Adding one is one line.
"""

from __future__ import annotations

from gridsvc_desktop.domain.enums import LedgerKind
from gridsvc_desktop.ledgers.spec import Column, LedgerSpec, Link

C = Column

# One column a line: header, type, synonyms, then the rest.
# fmt: off

CUSTOMERS = LedgerSpec(
    kind=LedgerKind.customers.value,
    title="客户档案",
    key=("account_no",),
    key_label="户号",
    columns=(
        C("account_no", "户号", "account_no", ("用户编号", "客户编号", "用户号", "客户号", "电费户号", "户号编号"), required=True, not_empty=True, width=13, note="10位数字，按文本填写，首位的0不能丢", example="0567685639"),
        C("name", "户名", "text", ("用户名称", "客户名称", "用户名", "客户名", "户主"), required=True, not_empty=True, width=16, example="张三"),
        C("address", "用电地址", "text", ("地址", "用户地址", "客户地址", "住址", "用电户地址"), width=40, example="清河县城关镇文庙社区翰林苑2栋1单元101"),
        C("category", "用电类别", "enum:CustomerCategory", ("用户类别", "客户类别", "用电性质"), default="residential", width=12, note="居民生活用电 / 一般工商业 / 大工业用电 / 农业生产用电"),
        C("metering", "计量方式", "enum:Metering", ("计量类型", "表计方式"), default="individual", width=10, note="一户一表 / 合表 / 专变"),
        C("ta_code", "台区编号", "code", ("台区代码", "台区编码", "台区号", "所属台区编号"), repeats=True, width=12, note="须为已导入的台区；未知台区的客户照常导入但不关联台区（警告）"),
        C("ta_name", "台区名称", "text", ("所属台区",), stored=False, width=16, note="仅供查看，不导入"),
        C("feeder", "所属线路", "text", ("线路名称", "线路", "馈线"), stored=False, width=12, note="仅供查看，不导入"),
        C("meter_no", "电能表资产编号", "code", ("电能表编号", "表号", "电表资产号", "资产编号", "电表编号"), width=24),
        C("phone", "联系电话", "phone", ("移动电话", "手机", "手机号码", "联系方式", "电话", "联系手机"), sensitive="phone", note="手机11位；固话写区号，如0838-1234567"),
        C("community", "所属社区", "text", ("社区", "所属社区(村)", "社区(村)", "所属村(社区)"), repeats=True, width=12),
        C("opened_on", "立户日期", "date", ("开户日期", "建档日期", "立户时间"), default=None, width=12),
        C("contract_kva", "合同容量(kVA)", "kva", ("合同容量", "运行容量", "容量"), default=0, width=10),
    ),
    links=(
        Link("ta_code", "transformer_area.code", "warn", "未知台区：客户照常导入，不关联台区"),
        Link("community", "admin_area.name", "warn", "社区按名称匹配；未知社区不关联"),
    ),
)

TRANSFORMER_AREAS = LedgerSpec(
    kind=LedgerKind.transformer_areas.value,
    title="台区档案",
    key=("code",),
    key_label="台区编号",
    columns=(
        C("code", "台区编号", "code", ("台区代码", "台区编码", "台区号"), required=True, not_empty=True, width=12),
        C("name", "台区名称", "text", ("台区",), required=True, not_empty=True, width=18),
        C("feeder", "所属线路", "text", ("线路名称", "线路", "馈线", "10kV线路"), note="按名称关联线路，没有的自动新建"),
        C("capacity_kva", "变压器容量(kVA)", "kva", ("变压器容量", "配变容量", "容量"), default=0, width=12),
        C("town", "所属乡镇(街道)", "text", ("乡镇(街道)", "所属乡镇", "乡镇", "街道", "所属街道"), width=12),
        C("community", "所属社区(村)", "text", ("社区(村)", "所属社区", "社区", "村", "所属村"), width=12, note="按乡镇+社区名称关联，没有的自动新建"),
        C("grid", "所属网格", "text", ("网格名称", "网格"), width=16, note="须为已有网格；未知网格不关联（警告）"),
        C("manager", "台区经理", "text", ("台区负责人", "台区客户经理"), width=10, note="按姓名在花名册中查找"),
    ),
    links=(
        Link("feeder", "feeder.name", "create"),
        Link("community", "admin_area.name", "create"),
        Link("grid", "grid.name", "warn"),
        Link("manager", "staff.name", "warn"),
    ),
)

GRIDS = LedgerSpec(
    kind=LedgerKind.grids.value,
    title="网格划分",
    key=("name",),
    key_label="网格名称",
    columns=(
        C("name", "网格名称", "text", ("网格",), required=True, not_empty=True, width=18),
        C("code", "网格编号", "code", ("网格代码",), width=10, note="可不填：新网格自动编号"),
        C("town", "乡镇(街道)", "text", ("所属乡镇(街道)", "所属乡镇", "乡镇", "街道"), width=12),
        C("community", "社区(村)", "text", ("所属社区(村)", "所属社区", "社区", "村"), width=12, note="没有的自动新建"),
        C("manager", "网格客户经理", "text", ("网格经理", "客户经理", "网格负责人"), width=12, note="按手机号、再按姓名在花名册中查找"),
        C("manager_phone", "经理手机", "phone", ("网格经理手机", "客户经理手机", "经理电话"), sensitive="phone"),
        C("ta_codes", "台区编号", "list", ("所辖台区", "包含台区", "台区"), width=30, note="多个台区用“、”隔开"),
        C("area_class", "区域类别", "enum:AreaClass", ("区域类型", "城乡类别", "地区类别"), default=None, width=8, note="城区 / 农村 / 边远，决定抢修到达时限"),
        C("service_mode", "服务模式", "enum:ServiceMode", default=None, note="专职网格经理 / 网格服务团队"),
    ),
    links=(
        Link("community", "admin_area.name", "create"),
        Link("manager", "staff.phone|staff.name", "warn"),
        Link("ta_codes", "transformer_area.code", "warn"),
    ),
)

STAFF = LedgerSpec(
    kind=LedgerKind.staff.value,
    title="人员花名册",
    key=("employee_no",),
    key_label="工号",
    columns=(
        C("employee_no", "工号", "employee_no", ("员工编号", "人员编号", "职工号", "员工号"), required=True, not_empty=True, width=10),
        C("name", "姓名", "text", ("人员姓名", "员工姓名"), required=True, not_empty=True, width=10),
        C("position", "岗位", "text", ("职务", "岗位名称")),
        C("specialties", "专业", "list", ("专业方向", "专业类别"), width=16, note="业扩报装、抄表收费、用电检查、故障报修、综合；多个用“、”隔开"),
        C("phone", "手机", "phone", ("手机号码", "联系电话", "移动电话", "电话"), sensitive="phone"),
        C("grids", "所属网格", "list", ("网格", "网格名称"), width=18, note="多个用“、”隔开；须为已有网格"),
        C("team", "班组", "text", ("所属班组", "班组名称"), width=16),
    ),
    links=(
        Link("grids", "grid.name", "warn"),
    ),
)

CONTACTS = LedgerSpec(
    kind=LedgerKind.contacts.value,
    title="楼长联络表",
    key=("community", "compound", "name"),
    key_label="社区+小区+姓名",
    columns=(
        C("community", "社区", "text", ("所属社区", "社区(村)", "村"), required=True, not_empty=True, width=12),
        C("compound", "小区", "text", ("小区名称", "所属小区")),
        C("building", "楼栋", "text", ("楼号", "栋号"), width=8, note="“全部”或空表示整个小区"),
        C("name", "姓名", "text", ("联系人", "联系人姓名"), required=True, not_empty=True, width=10),
        C("kind", "身份", "enum:ContactKind", ("类别", "联系人类型", "角色"), required=True, not_empty=True, width=10, note="楼长 / 物业 / 门卫 / 社区网格员 / 社区服务中心"),
        C("phone", "电话", "phone", ("联系电话", "手机", "手机号码"), sensitive="phone"),
        C("wechat_group", "微信群", "text", ("微信群名称",), width=16),
    ),
    links=(
        Link("community", "admin_area.name", "create"),
        Link("compound", "compound.name", "create"),
        Link("building", "building.name", "create"),
    ),
)

ARREARS = LedgerSpec(
    kind=LedgerKind.arrears.value,
    title="欠费明细",
    key=("account_no", "month"),
    key_label="户号+欠费月份",
    columns=(
        C("account_no", "户号", "account_no", ("用户编号", "客户编号", "用户号", "电费户号"), required=True, not_empty=True, width=13),
        C("name", "户名", "text", ("用户名称", "客户名称"), stored=False, width=16),
        C("address", "用电地址", "text", ("地址", "用户地址"), stored=False, width=36),
        C("ta_name", "台区名称", "text", ("所属台区",), stored=False, width=16),
        C("month", "欠费月份", "month", ("电费年月", "账务月份", "欠费年月", "应收年月"), required=True, not_empty=True, width=10, example="202606"),
        C("amount_fen", "欠费金额(元)", "money_fen", ("欠费金额", "应收金额", "欠费"), required=True, not_empty=True, width=12),
        C("late_fee_fen", "违约金(元)", "money_fen", ("违约金",), default=0, width=10),
        C("phone", "联系电话", "phone", ("移动电话", "手机", "手机号码"), stored=False, sensitive="phone"),
    ),
    links=(
        Link("account_no", "customer.account_no", "refuse", "户号须为已导入的客户"),
    ),
)

ORDERS_95598 = LedgerSpec(
    kind=LedgerKind.orders_95598.value,
    title="95598工单",
    key=("external_no",),
    key_label="工单编号",
    columns=(
        C("external_no", "工单编号", "code", ("工单号", "95598工单编号", "受理编号"), required=True, not_empty=True, width=18),
        C("received_at", "受理时间", "datetime", ("受理日期", "工单受理时间", "来电时间"), required=True, not_empty=True, default=None, width=17),
        C("type", "业务类型", "enum:OrderType", ("工单类型", "业务类别", "诉求类型"), required=True, not_empty=True, width=10),
        C("subtype", "业务子类", "enum:OrderSubtype", ("业务子类型", "细分类型"), default="none", width=10),
        C("account_no", "户号", "account_no", ("用户编号", "客户编号"), default=None, width=13),
        C("caller_name", "户名", "text", ("用户名称", "客户名称", "联系人")),
        C("caller_phone", "联系电话", "phone_lenient", ("移动电话", "手机", "来电号码"), sensitive="phone"),
        C("address", "用电地址", "text", ("地址", "故障地址"), width=36),
        C("description", "诉求内容", "text", ("受理内容", "工单内容", "诉求描述", "问题描述"), width=30),
        C("channel", "受理渠道", "enum?:Channel", ("渠道", "来源渠道"), default="hotline_95598", width=10),
        C("urgency", "紧急程度", "enum?:Urgency", ("紧急度", "重要程度"), default="normal", width=8),
    ),
    links=(
        Link("account_no", "customer.account_no", "warn", "未知户号：工单照常导入，不关联客户"),
    ),
)

# --------------------------------------------------------------------------- export only

WORK_ORDERS = LedgerSpec(
    kind="work_orders",
    title="工单",
    importable=False,
    columns=(
        C("number", "工单号", width=16),
        C("external_no", "95598工单编号", width=18),
        C("type", "工单类型", width=10),
        C("subtype", "业务子类", width=10),
        C("status", "状态", width=8),
        C("urgency", "紧急程度", width=8),
        C("channel", "受理渠道", width=10),
        C("received_at", "受理时间", "datetime", width=17),
        C("account_no", "户号", width=13),
        C("caller_name", "联系人", width=12),
        C("caller_phone", "联系电话", sensitive="phone"),
        C("address", "地址", width=36),
        C("description", "诉求内容", width=30),
        C("grid", "网格"),
        C("ta_code", "台区编号", width=12),
        C("assignee", "处理人", width=10),
        C("contact_due", "联系时限", "datetime", width=17),
        C("arrival_due", "到达时限", "datetime", width=17),
        C("resolve_due", "办结时限", "datetime", width=17),
        C("dispatched_at", "派单时间", "datetime", width=17),
        C("arrived_at", "到达时间", "datetime", width=17),
        C("resolved_at", "办结时间", "datetime", width=17),
        C("closed_at", "归档时间", "datetime", width=17),
        C("satisfaction", "满意度", width=6),
        C("resolution", "处理结果", width=30),
    ),
)

CALLS = LedgerSpec(
    kind="calls",
    title="通话记录",
    importable=False,
    columns=(
        C("started_at", "开始时间", "datetime", width=17),
        C("ended_at", "结束时间", "datetime", width=17),
        C("duration_s", "通话时长(秒)", width=8),
        C("direction", "方向", width=6),
        C("channel", "渠道", width=10),
        C("phone", "电话", sensitive="phone"),
        C("caller_name", "来电人", width=12),
        C("account_no", "户号", width=13),
        C("category", "类别", width=10),
        C("summary", "内容摘要", width=40),
        C("user", "接听人", width=10),
        C("order_number", "关联工单", width=16),
    ),
)

COLLECTIONS = LedgerSpec(
    kind="collections",
    title="催费记录",
    importable=False,
    columns=(
        C("at", "时间", "datetime", width=17),
        C("account_no", "户号", width=13),
        C("name", "户名"),
        C("month", "欠费月份", width=10),
        C("amount", "欠费金额(元)", "money_fen", width=12),
        C("kind", "方式", width=12),
        C("result", "结果", width=24),
        C("promised_on", "承诺缴费日期", "date", width=12),
        C("note", "备注", width=30),
        C("user", "经办人", width=10),
    ),
)

# fmt: on

SPECS: dict[str, LedgerSpec] = {
    s.kind: s
    for s in (CUSTOMERS, TRANSFORMER_AREAS, GRIDS, STAFF, CONTACTS, ARREARS, ORDERS_95598,
              WORK_ORDERS, CALLS, COLLECTIONS)
}  # fmt: skip

IMPORTABLE: tuple[LedgerSpec, ...] = tuple(s for s in SPECS.values() if s.importable)

# Names on the command line.
CLI_KINDS: dict[str, str] = {
    "customers": "customers",
    "transformer-areas": "transformer_areas",
    "grids": "grids",
    "staff": "staff",
    "contacts": "contacts",
    "arrears": "arrears",
    "orders-95598": "orders_95598",
    "work-orders": "work_orders",
    "calls": "calls",
    "collections": "collections",
}


def spec_for(kind: str | LedgerKind) -> LedgerSpec:
    key = kind.value if isinstance(kind, LedgerKind) else CLI_KINDS.get(kind, kind)
    try:
        return SPECS[key]
    except KeyError:
        raise KeyError(f"没有这种台账：{kind}") from None
