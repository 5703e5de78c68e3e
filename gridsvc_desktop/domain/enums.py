"""The domain's enumerations, each with its Chinese label.

Values are stable English identifiers stored in the database; labels are the
Chinese words staff see and ledgers carry. `from_label` maps a ledger's Chinese
text (or an English value) back to a member.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry a Chinese label and optional synonyms."""

    @property
    def label(self) -> str:
        return _LABELS[type(self).__name__][self.value][0]

    @classmethod
    def from_label(cls, text: str) -> Self:
        """The member whose value, label or synonym equals `text` (trimmed)."""
        key = text.strip()
        table = _LABELS[cls.__name__]
        for value, names in table.items():
            if key == value or key in names:
                return cls(value)
        raise ValueError(f"{cls.__name__}: unknown value {text!r}")

    @classmethod
    def labels(cls) -> list[str]:
        return [m.label for m in cls]


class Role(LabelledEnum):
    staff = "staff"
    lead = "lead"
    admin = "admin"


class AreaLevel(LabelledEnum):
    town = "town"
    community = "community"


class AreaClass(LabelledEnum):
    urban = "urban"
    rural = "rural"
    remote = "remote"


class ServiceMode(LabelledEnum):
    dedicated_manager = "dedicated_manager"
    team = "team"


class Specialty(LabelledEnum):
    new_connection = "new_connection"
    metering_billing = "metering_billing"
    inspection = "inspection"
    repair = "repair"
    general = "general"


class GridRole(LabelledEnum):
    manager = "manager"
    member = "member"


class ContactKind(LabelledEnum):
    building_leader = "building_leader"
    property_office = "property_office"
    gatekeeper = "gatekeeper"
    community_worker = "community_worker"
    service_center = "service_center"


class CustomerCategory(LabelledEnum):
    residential = "residential"
    commercial = "commercial"
    large_industry = "large_industry"
    agriculture = "agriculture"


class Metering(LabelledEnum):
    individual = "individual"
    shared = "shared"
    dedicated = "dedicated"


class Channel(LabelledEnum):
    hotline_95598 = "hotline_95598"
    phone = "phone"
    wechat = "wechat"
    walk_in = "walk_in"
    community = "community"
    app = "app"
    proactive = "proactive"


class CallDirection(LabelledEnum):
    inbound = "inbound"
    outbound = "outbound"


class OrderType(LabelledEnum):
    repair = "repair"
    new_connection = "new_connection"
    billing = "billing"
    inspection = "inspection"
    inquiry = "inquiry"
    complaint = "complaint"
    report = "report"
    opinion = "opinion"
    suggestion = "suggestion"
    praise = "praise"
    service_request = "service_request"


class OrderSubtype(LabelledEnum):
    none = "none"
    reconnection = "reconnection"
    meter_calibration = "meter_calibration"
    appliance_damage = "appliance_damage"
    new_connection_residential = "new_connection_residential"
    new_connection_low_voltage = "new_connection_low_voltage"
    change_of_name = "change_of_name"
    reading_anomaly = "reading_anomaly"


class OrderStatus(LabelledEnum):
    new = "new"
    dispatched = "dispatched"
    on_site = "on_site"
    resolved = "resolved"
    called_back = "called_back"
    closed = "closed"
    cancelled = "cancelled"
    merged = "merged"


class Urgency(LabelledEnum):
    normal = "normal"
    urgent = "urgent"
    critical = "critical"


class OutageKind(LabelledEnum):
    planned = "planned"
    temporary = "temporary"
    fault = "fault"


class OutageStatus(LabelledEnum):
    announced = "announced"
    in_progress = "in_progress"
    restored = "restored"
    cancelled = "cancelled"


class NotifyChannel(LabelledEnum):
    wechat = "wechat"
    sms = "sms"
    phone = "phone"
    posted = "posted"
    visit = "visit"


class ArrearsStatus(LabelledEnum):
    open = "open"
    promised = "promised"
    notice_served = "notice_served"
    cut_off = "cut_off"
    paid = "paid"


class CollectionKind(LabelledEnum):
    phone = "phone"
    sms = "sms"
    wechat = "wechat"
    visit = "visit"
    posted_notice = "posted_notice"
    written_notice = "written_notice"
    final_notice = "final_notice"
    cut_off = "cut_off"
    payment = "payment"


class LedgerKind(LabelledEnum):
    customers = "customers"
    transformer_areas = "transformer_areas"
    grids = "grids"
    staff = "staff"
    contacts = "contacts"
    arrears = "arrears"
    orders_95598 = "orders_95598"


# value -> (label, *synonyms). Synonyms are the words other systems use.
_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "Role": {"staff": ("营业员",), "lead": ("班组长", "班长"), "admin": ("管理员",)},
    "AreaLevel": {"town": ("乡镇/街道", "乡镇", "街道"), "community": ("社区/村", "社区", "村")},
    "AreaClass": {"urban": ("城区", "城市"), "rural": ("农村",), "remote": ("边远", "偏远")},
    "ServiceMode": {
        "dedicated_manager": ("专职网格经理", "专职网格客户经理"),
        "team": ("网格服务团队", "服务团队"),
    },
    "Specialty": {
        "new_connection": ("业扩报装", "业扩"),
        "metering_billing": ("抄表收费", "抄核收"),
        "inspection": ("用电检查",),
        "repair": ("故障报修", "抢修", "配电运维"),
        "general": ("综合",),
    },
    "GridRole": {"manager": ("网格客户经理", "网格经理"), "member": ("网格成员", "团队成员")},
    "ContactKind": {
        "building_leader": ("楼长",),
        "property_office": ("物业",),
        "gatekeeper": ("门卫",),
        "community_worker": ("社区网格员", "网格员"),
        "service_center": ("社区服务中心",),
    },
    "CustomerCategory": {
        "residential": ("居民生活用电", "居民", "城镇居民", "乡村居民"),
        "commercial": ("一般工商业", "商业用电", "非居民照明", "一般工商业用电"),
        "large_industry": ("大工业用电", "大工业"),
        "agriculture": ("农业生产用电", "农业", "农业排灌"),
    },
    "Metering": {
        "individual": ("一户一表",),
        "shared": ("合表", "合表用户"),
        "dedicated": ("专变", "专变用户", "高供高计", "高供低计"),
    },
    "Channel": {
        "hotline_95598": ("95598转办", "95598", "95598电话", "95598网站"),
        "phone": ("供电所电话", "电话"),
        "wechat": ("微信", "网上国网微信"),
        "walk_in": ("营业厅", "上门", "到所"),
        "community": ("社区转办", "社区"),
        "app": ("网上国网", "APP", "app"),
        "proactive": ("主动走访", "走访"),
    },
    "CallDirection": {"inbound": ("来电", "呼入"), "outbound": ("去电", "呼出")},
    "OrderType": {
        "repair": ("故障报修", "报修"),
        "new_connection": ("业扩报装", "新装", "增容"),
        "billing": ("抄表收费", "电费"),
        "inspection": ("用电检查",),
        "inquiry": ("咨询", "信息查询"),
        "complaint": ("投诉",),
        "report": ("举报",),
        "opinion": ("意见",),
        "suggestion": ("建议",),
        "praise": ("表扬",),
        "service_request": ("服务申请",),
    },
    "OrderSubtype": {
        "none": ("无",),
        "reconnection": ("欠费复电", "复电"),
        "meter_calibration": ("电能表校验", "校表"),
        "appliance_damage": ("家电损坏",),
        "new_connection_residential": ("居民新装",),
        "new_connection_low_voltage": ("低压非居民新装",),
        "change_of_name": ("过户", "更名"),
        "reading_anomaly": ("抄表异常", "电量异常"),
    },
    "OrderStatus": {
        "new": ("新建", "待派"),
        "dispatched": ("已派单", "已派发"),
        "on_site": ("已到场", "处理中"),
        "resolved": ("已处理", "已办结"),
        "called_back": ("已回访",),
        "closed": ("已归档", "已关闭"),
        "cancelled": ("已撤销", "已取消"),
        "merged": ("已合并",),
    },
    "Urgency": {"normal": ("一般", "普通"), "urgent": ("紧急",), "critical": ("特急", "非常紧急")},
    "OutageKind": {
        "planned": ("计划停电", "计划"),
        "temporary": ("临时停电", "临时检修"),
        "fault": ("故障停电", "故障"),
    },
    "OutageStatus": {
        "announced": ("已发布",),
        "in_progress": ("停电中",),
        "restored": ("已送电", "已复电"),
        "cancelled": ("已取消",),
    },
    "NotifyChannel": {
        "wechat": ("微信",),
        "sms": ("短信",),
        "phone": ("电话",),
        "posted": ("张贴",),
        "visit": ("上门",),
    },
    "ArrearsStatus": {
        "open": ("未缴",),
        "promised": ("承诺缴费",),
        "notice_served": ("已送达停电通知",),
        "cut_off": ("已停电",),
        "paid": ("已缴清",),
    },
    "CollectionKind": {
        "phone": ("电话催费",),
        "sms": ("短信催费",),
        "wechat": ("微信催费",),
        "visit": ("上门催费",),
        "posted_notice": ("张贴通知",),
        "written_notice": ("书面停电通知",),
        "final_notice": ("最后通知",),
        "cut_off": ("欠费停电",),
        "payment": ("已缴费",),
    },
    "LedgerKind": {
        "customers": ("客户档案",),
        "transformer_areas": ("台区档案",),
        "grids": ("网格划分",),
        "staff": ("人员花名册",),
        "contacts": ("楼长联络表",),
        "arrears": ("欠费明细",),
        "orders_95598": ("95598工单",),
    },
}
