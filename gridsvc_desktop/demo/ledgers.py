"""Export the database as the seven ledger kinds, in every shape real ledgers take.

`write_ledgers` writes, for each kind, one clean .xlsx in the layout of the
sample files (merged title in row 1, export info in row 2, header in row 3,
data from row 4), plus variant files that carry the messy shapes listed in
the samples README: legacy .xls, .csv in GBK / GB18030 / UTF-8 with and
without BOM, an instructions sheet before the data, the header further down,
synonym headers, extra and reordered columns, account numbers stored as
numbers or with stray (non-breaking) spaces, messy phones, dates in every
notation, money as text, blank rows, a 合计 row with a real formula, and (in
the "dirty" customer ledger only) the same key twice with conflicting values.
A README.txt in the folder lists every file and its shapes.

Customers are read once, streamed, and fed to all customer files at the same
time; the .xlsx files are written in constant memory, so a 500,000-customer
county exports in bounded memory. Files that cannot or should not hold every
row (the .xls: 65,536 rows a sheet; the two heavily reshaped .xlsx variants)
take the first rows only and say so in their name, e.g. 客户档案_旧版xls_前65000户.xls.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import (
    AdminArea,
    Arrears,
    Building,
    Compound,
    Contact,
    Customer,
    Feeder,
    Grid,
    GridMember,
    Staff,
    StaffSpecialty,
    Station,
    TransformerArea,
    WorkOrder,
)
from gridsvc_desktop.demo.sheets import CsvLedger, Formula, XlsLedger, XlsxLedger
from gridsvc_desktop.demo.words import GIVEN_FEMALE, GIVEN_MALE
from gridsvc_desktop.domain.enums import (
    Channel,
    ContactKind,
    CustomerCategory,
    Metering,
    OrderType,
    Specialty,
    Urgency,
)

__all__ = [
    "ARREARS_COLUMNS",
    "CONTACT_COLUMNS",
    "CUSTOMER_COLUMNS",
    "GRID_COLUMNS",
    "ORDER_COLUMNS",
    "STAFF_COLUMNS",
    "TA_COLUMNS",
    "write_ledgers",
]

CUSTOMER_COLUMNS = (
    "户号", "户名", "用电地址", "用电类别", "计量方式", "台区编号", "台区名称", "所属线路",
    "电能表资产编号", "联系电话", "所属社区", "立户日期", "合同容量(kVA)",
)  # fmt: skip
TA_COLUMNS = (
    "台区编号",
    "台区名称",
    "所属线路",
    "变压器容量(kVA)",
    "所属乡镇(街道)",
    "所属社区(村)",
    "台区经理",
)
GRID_COLUMNS = ("网格名称", "乡镇(街道)", "社区(村)", "网格客户经理", "经理手机", "台区编号")
STAFF_COLUMNS = ("工号", "姓名", "岗位", "专业", "手机", "所属网格", "班组")
CONTACT_COLUMNS = ("社区", "小区", "楼栋", "姓名", "身份", "电话")
ARREARS_COLUMNS = (
    "户号",
    "户名",
    "用电地址",
    "台区名称",
    "欠费月份",
    "欠费金额(元)",
    "违约金(元)",
    "联系电话",
)
ORDER_COLUMNS = (
    "工单编号", "受理时间", "业务类型", "户号", "户名", "联系电话", "用电地址", "诉求内容",
    "受理渠道", "紧急程度",
)  # fmt: skip

XLS_ROWS = 65_000  # data rows in a legacy .xls (BIFF8 allows 65,536 rows a sheet)
VARIANT_ROWS = 50_000  # data rows in the reshaped .xlsx variants of the customer ledger
READ_CHUNK = 10_000

# Header synonyms the variants use (other systems' words for the same column).
CUSTOMER_SYNONYMS_A = {"户号": "用户编号", "户名": "用户名称"}
CUSTOMER_SYNONYMS_B = {
    "户号": "用户编号",
    "户名": "用户名称",
    "用电地址": "地址",
    "联系电话": "移动电话",
    "台区编号": "台区代码",
    "合同容量(kVA)": "合同容量",
}
STAFF_SYNONYMS = {"工号": "员工编号", "手机": "移动电话", "专业": "专业类别"}

_FULLWIDTH = str.maketrans("0123456789-()+", "０１２３４５６７８９－（）＋")
_NBSP = "\u00a0"
_EXCEL_EPOCH = dt.date(1899, 12, 30)


# --------------------------------------------------------------------------- value shapes


def date_text(d: dt.date, shape: str) -> str:
    """A date as text: slash 2024/3/5, dash 2024-03-05, cn 2024年3月5日, compact 20240305."""
    if shape == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if shape == "dash":
        return d.isoformat()
    if shape == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if shape == "compact":
        return f"{d:%Y%m%d}"
    raise ValueError(shape)


def excel_serial(d: dt.date) -> int:
    """The day number Excel stores for a date (1900 date system)."""
    return (d - _EXCEL_EPOCH).days


def money_text(yuan: float) -> str:
    """1234.5 → "1,234.50"."""
    return f"{yuan:,.2f}"


def messy_phone(phone: str, rng: random.Random) -> str:
    """The same number the way people type it: spaces, dashes, full-width digits,
    +86, brackets around an area code."""
    if not phone:
        return phone
    if phone.startswith("0") and "-" in phone:
        area, number = phone.split("-", 1)
        return rng.choice(
            [
                f"({area}){number}",
                f"{area} {number}",
                f"{area}{number}",
                phone.translate(_FULLWIDTH),
                f"{area}－{number}",
            ]
        )
    p = phone
    return rng.choice(
        [
            f"{p[:3]} {p[3:7]} {p[7:]}",
            f"{p[:3]}-{p[3:7]}-{p[7:]}",
            p.translate(_FULLWIDTH),
            f"+86 {p}",
            f"+86{p}",
            f"+86-{p[:3]}-{p[3:7]}-{p[7:]}",
            f" {p} ",
        ]
    )


# --------------------------------------------------------------------------- bookkeeping


@dataclass
class _File:
    path: Path
    kind: str
    shapes: list[str]
    rows: int = 0


@dataclass
class _Context:
    conn: Connection
    folder: Path
    rng: random.Random
    station: str
    export_line: str
    files: list[_File] = field(default_factory=list)

    def title(self, kind: str) -> str:
        return f"{self.station} {kind}"

    def add(self, name: str, kind: str, shapes: Sequence[str]) -> _File:
        f = _File(self.folder / name, kind, list(shapes))
        self.files.append(f)
        return f


def _t(model: Any) -> Any:
    return model.__table__


def _labels(enum: Any) -> dict[str, str]:
    return {m.value: m.label for m in enum}


def _stream(conn: Connection, stmt: Any) -> Iterator[Any]:
    yield from conn.execution_options(yield_per=READ_CHUNK).execute(stmt)


# --------------------------------------------------------------------------- customers


def _customer_rows(conn: Connection) -> Iterator[tuple[Any, ...]]:
    c, t, f, a = _t(Customer), _t(TransformerArea), _t(Feeder), _t(AdminArea)
    stmt = (
        select(
            c.c.account_no,
            c.c.name,
            c.c.address,
            c.c.category,
            c.c.metering,
            t.c.code,
            t.c.name,
            f.c.name,
            c.c.meter_no,
            c.c.phone,
            a.c.name,
            c.c.opened_on,
            c.c.contract_kva,
        )
        .select_from(
            c.outerjoin(t, t.c.id == c.c.transformer_area_id)
            .outerjoin(f, f.c.id == t.c.feeder_id)
            .outerjoin(a, a.c.id == c.c.community_id)
        )
        .order_by(c.c.id)
    )
    cats, meters = _labels(CustomerCategory), _labels(Metering)
    for r in _stream(conn, stmt):
        yield (
            r[0], r[1], r[2], cats[r[3]], meters[r[4]], r[5] or "", r[6] or "", r[7] or "",
            r[8], r[9], r[10] or "", r[11], r[12],
        )  # fmt: skip


def _reorder(values: Sequence[Any], order: Sequence[int]) -> list[Any]:
    return [values[i] for i in order]


def _customers(ctx: _Context) -> None:
    conn, rng = ctx.conn, ctx.rng
    total = conn.execute(select(func.count()).select_from(_t(Customer))).scalar_one()
    kind = "客户档案"
    cols = list(CUSTOMER_COLUMNS)
    xls_rows, var_rows = min(total, XLS_ROWS), min(total, VARIANT_ROWS)
    xls_tag = f"_前{xls_rows}户" if total > XLS_ROWS else ""
    var_tag = f"_前{var_rows}户" if total > VARIANT_ROWS else ""

    clean = ctx.add(
        f"{kind}.xlsx",
        kind,
        ["标准版式（第1行标题、第2行导出信息、第3行表头）", "户号为文本", "立户日期为日期格式"],
    )
    xls = ctx.add(
        f"{kind}_旧版xls{xls_tag}.xls",
        kind,
        ["旧版 Excel 97-2003 (.xls)", "户号存为数字（前导0丢失，读出为 3101234567.0 这类浮点数）",
         "手机号存为数字", "立户日期为日期格式"]
        + ([f"只含前{xls_rows}户（.xls 每个工作表最多 65536 行）"] if xls_tag else []),
    )  # fmt: skip
    order_a = [0, 1, 9, 2, 3, 4, 10, 5, 6, 7, 8, 11, 12]
    header_a = [CUSTOMER_SYNONYMS_A.get(cols[i], cols[i]) for i in order_a]
    gbk = ctx.add(
        f"{kind}_GBK.csv",
        kind,
        ["CSV，GBK 编码（GBK 以外的生僻字变成“?”）", "表头在第1行", "同义表头：用户编号、用户名称",
         "列顺序不同", "立户日期为文本 2024/3/5"],
    )  # fmt: skip
    gb18030 = ctx.add(
        f"{kind}_GB18030.csv",
        kind,
        ["CSV，GB18030 编码（含 GBK 以外的生僻字，GBK 解码会失败）", "表头不在第1行（前两行为标题和导出信息）",
         "立户日期为文本 2024-03-05"],
    )  # fmt: skip
    bom = ctx.add(
        f"{kind}_UTF8带BOM.csv", kind, ["CSV，UTF-8 带 BOM", "立户日期为文本 2024年3月5日"]
    )
    nobom = ctx.add(
        f"{kind}_UTF8无BOM.csv",
        kind,
        ["CSV，UTF-8 不带 BOM", "立户日期为文本 20240305", "部分户号前后带空格"],
    )
    # Instructions sheet first, header on row 6, synonyms, extra columns, another order.
    extra = ["序号", "供电单位", "电压等级", "备注"]
    order_b = [0, 1, 2, 9, 3, 4, 11, 12, 5, 6, 7, 10, 8]
    header_b = ["序号"] + [CUSTOMER_SYNONYMS_B.get(cols[i], cols[i]) for i in order_b] + extra[1:]
    intro = ctx.add(
        f"{kind}_说明页在前{var_tag}.xlsx",
        kind,
        ["第一个工作表是“说明”，数据在第二个工作表“客户档案”", "表头在第6行（前面是标题、导出信息、两行备注和一个空行）",
         "同义表头：用户编号、用户名称、地址、移动电话、台区代码、合同容量", "多出的列：序号、供电单位、电压等级、备注",
         "列顺序不同", "立户日期为 Excel 日期序号（普通数字，如 45356）", "用电类别用同义词（居民、一般工商业用电、大工业、农业生产用电）"]
        + ([f"只含前{var_rows}户"] if var_tag else []),
    )  # fmt: skip
    dirty = ctx.add(
        f"{kind}_脏数据{var_tag}.xlsx",
        kind,
        ["标准表头和版式，但数据很乱：", "部分户号存为数字（前导0丢失）、部分户号前后带空格或不换行空格(NBSP)",
         "联系电话带空格、横线、全角数字、+86、区号括号，个别存为数字",
         "立户日期混用：日期格式、Excel 日期序号、2024/3/5、2024-03-05、2024年3月5日、20240305（文本和数字）",
         "夹有空行", "同一户号出现两次且内容冲突（见下）", "末行为“合计”行，合同容量为公式 =SUM(…)"]
        + ([f"只含前{var_rows}户"] if var_tag else []),
    )  # fmt: skip

    title = ctx.title(kind)
    w_clean = XlsxLedger(
        clean.path, sheet=kind, title=title, export_line=ctx.export_line, header=cols
    )
    w_xls = XlsLedger(xls.path, sheet=kind, title=title, export_line=ctx.export_line, header=cols)
    w_gbk = CsvLedger(gbk.path, encoding="gbk", header=header_a)
    w_18030 = CsvLedger(
        gb18030.path, encoding="gb18030", header=cols, preamble=[[title], [ctx.export_line]]
    )
    w_bom = CsvLedger(bom.path, encoding="utf-8-sig", header=cols)
    w_nobom = CsvLedger(nobom.path, encoding="utf-8", header=cols)
    w_intro = XlsxLedger(
        intro.path,
        sheet=kind,
        title=title,
        export_line=ctx.export_line,
        header=header_b,
        notes=[
            "注：本表由营销业务应用系统导出，仅供网格化服务使用。",
            "注：立户日期列为 Excel 日期序号。",
            "",
        ],
        intro=[
            "填表说明",
            "1. 本工作簿的数据在第二个工作表“客户档案”中，本页仅为说明。",
            "2. 用户编号为 10 位数字，导入前请勿改成数值格式。",
            "3. 立户日期列为 Excel 日期序号。",
            "4. 序号、供电单位、电压等级、备注为营销系统附加列。",
        ],
    )
    w_dirty = XlsxLedger(
        dirty.path, sheet=kind, title=title, export_line=ctx.export_line, header=cols
    )
    cat_synonym = {
        "居民生活用电": "居民",
        "一般工商业": "一般工商业用电",
        "大工业用电": "大工业",
        "农业生产用电": "农业生产用电",
    }
    voltage = {"专变": "交流10kV", "合表": "交流380V"}
    dup_queue: list[tuple[int, list[Any]]] = []
    duplicated: list[str] = []
    kva_sum = 0
    shapes = ("date", "serial", "slash", "dash", "cn", "compact", "compact_int")

    for i, row in enumerate(_customer_rows(conn)):
        acct, cat, meter, ta_code, phone, opened, kva = (row[k] for k in (0, 3, 4, 5, 9, 11, 12))
        w_clean.write(row)
        text = list(row)
        if i < xls_rows:
            v = list(row)
            v[0] = float(int(acct))
            if phone and not phone.startswith("0"):
                v[9] = float(phone)
            w_xls.write(v)
        text[11] = date_text(opened, "slash") if opened else ""
        w_gbk.write(_reorder(text, order_a))
        text[11] = date_text(opened, "dash") if opened else ""
        w_18030.write(text)
        text[11] = date_text(opened, "cn") if opened else ""
        w_bom.write(text)
        text[11] = date_text(opened, "compact") if opened else ""
        if rng.random() < 0.03:
            text[0] = rng.choice([f" {acct}", f"{acct} ", f" {acct} "])
        w_nobom.write(text)
        if i >= var_rows:
            continue
        v = list(row)
        v[3] = cat_synonym.get(cat, cat)
        v[11] = excel_serial(opened) if opened else None
        remark = "台区未关联" if not ta_code else ""
        w_intro.write(
            [i + 1, *_reorder(v, order_b), ctx.station, voltage.get(meter, "交流220V"), remark]
        )

        # The dirty one.
        v = list(row)
        r = rng.random()
        if (acct.startswith("0") and r < 0.5) or r < 0.05:
            v[0] = int(acct)
        elif r < 0.07:
            v[0] = acct + _NBSP if r < 0.06 else _NBSP + acct
        elif r < 0.09:
            v[0] = f" {acct} "
        r = rng.random()
        if phone and r < 0.03 and not phone.startswith("0"):
            v[9] = int(phone)
        elif phone and r < 0.35:
            v[9] = messy_phone(phone, rng)
        if opened:
            shape = shapes[i % len(shapes)] if i < len(shapes) else rng.choice(shapes)
            if shape == "serial":
                v[11] = excel_serial(opened)
            elif shape == "compact_int":
                v[11] = int(f"{opened:%Y%m%d}")
            elif shape != "date":
                v[11] = date_text(opened, shape)
        kva_sum += kva
        w_dirty.write(v)
        if i % 97 == 5:
            w_dirty.blank()
        if (i % 211 == 7 or i in (3, 4)) and len(duplicated) < max(3, var_rows // 200):
            d = list(row)
            change = len(duplicated) % 3
            if change == 0:
                d[9] = rng.choice(["13", "15", "18"]) + f"{rng.randrange(10**9):09d}"
            elif change == 1:  # changed hands (过户) in one system, not yet in the other
                d[1] = (
                    d[1][0] + rng.choice(GIVEN_MALE) + rng.choice(GIVEN_FEMALE)
                    if len(d[1]) <= 4
                    else d[1] + "（已过户）"
                )
            else:
                d[12] = kva + 2
            dup_queue.append((i + rng.randint(2, 40), d))
            duplicated.append(acct)
        while dup_queue and dup_queue[0][0] <= i:
            _, d = dup_queue.pop(0)
            kva_sum += d[12]
            w_dirty.write(d)
    for _, d in dup_queue:
        kva_sum += d[12]
        w_dirty.write(d)
    last = w_dirty.last_row
    w_dirty.write(
        ["合计", f"共{w_dirty.rows}行"]
        + [None] * 10
        + [Formula(f"=SUM(M{w_dirty.first_data_row}:M{last})", kva_sum)]
    )
    dirty.shapes.append(
        f"重复的户号（{len(duplicated)} 个，第二次出现时电话、户名或合同容量不同）："
        + "、".join(duplicated)
    )
    writers: list[tuple[_File, Any]] = [
        (clean, w_clean), (xls, w_xls), (gbk, w_gbk), (gb18030, w_18030), (bom, w_bom),
        (nobom, w_nobom), (intro, w_intro), (dirty, w_dirty),
    ]  # fmt: skip
    for f, w in writers:
        w.close()
        f.rows = w.rows
    dirty.rows -= 1  # the 合计 row


# --------------------------------------------------------------------------- small ledgers


def _town_of(conn: Connection) -> dict[int, tuple[str, str]]:
    """community id → (community name, town name)."""
    a = _t(AdminArea)
    names = {
        r.id: (r.name, r.parent_id) for r in conn.execute(select(a.c.id, a.c.name, a.c.parent_id))
    }
    return {i: (n, names[p][0] if p in names else "") for i, (n, p) in names.items()}


def _transformer_areas(ctx: _Context) -> None:
    conn = ctx.conn
    t, f, s = _t(TransformerArea), _t(Feeder), _t(Staff)
    places = _town_of(conn)
    stmt = (
        select(t.c.code, t.c.name, f.c.name, t.c.capacity_kva, t.c.community_id, s.c.name)
        .select_from(t.outerjoin(f, f.c.id == t.c.feeder_id).outerjoin(s, s.c.id == t.c.manager_id))
        .order_by(t.c.id)
    )
    rows = []
    for code, name, feeder, cap, comm, manager in conn.execute(stmt):
        community, town = places.get(comm, ("", "")) if comm else ("", "")
        rows.append([code, name, feeder or "", cap, town, community, manager or ""])
    kind = "台区档案"
    clean = ctx.add(f"{kind}.xlsx", kind, ["标准版式", "台区编号为文本"])
    w = XlsxLedger(
        clean.path,
        sheet=kind,
        title=ctx.title(kind),
        export_line=ctx.export_line,
        header=TA_COLUMNS,
    )
    for r in rows:
        w.write(r)
    w.close()
    clean.rows = w.rows
    xls = ctx.add(
        f"{kind}_旧版xls.xls", kind, ["旧版 Excel 97-2003 (.xls)", "台区编号存为数字（前导0丢失）"]
    )
    wx = XlsLedger(
        xls.path, sheet=kind, title=ctx.title(kind), export_line=ctx.export_line, header=TA_COLUMNS
    )
    for r in rows[:XLS_ROWS]:
        wx.write([float(int(r[0])), *r[1:]])
    wx.close()
    xls.rows = wx.rows


def _grids(ctx: _Context) -> None:
    conn, rng = ctx.conn, ctx.rng
    g, s, t = _t(Grid), _t(Staff), _t(TransformerArea)
    places = _town_of(conn)
    codes: dict[int, list[str]] = {}
    for grid_id, code in conn.execute(
        select(t.c.grid_id, t.c.code).where(t.c.grid_id.is_not(None)).order_by(t.c.id)
    ):
        codes.setdefault(grid_id, []).append(code)
    stmt = (
        select(g.c.id, g.c.name, g.c.community_id, s.c.name, s.c.phone)
        .select_from(g.outerjoin(s, s.c.id == g.c.manager_id))
        .order_by(g.c.id)
    )
    rows = []
    for gid, name, comm, manager, phone in conn.execute(stmt):
        community, town = places.get(comm, ("", "")) if comm else ("", "")
        rows.append(
            [name, town, community, manager or "", phone or "", "、".join(codes.get(gid, []))]
        )
    kind = "网格划分"
    clean = ctx.add(f"{kind}.xlsx", kind, ["标准版式", "台区编号多个时用“、”连接"])
    w = XlsxLedger(
        clean.path,
        sheet=kind,
        title=ctx.title(kind),
        export_line=ctx.export_line,
        header=GRID_COLUMNS,
    )
    for r in rows:
        w.write(r)
    w.close()
    clean.rows = w.rows
    csvf = ctx.add(f"{kind}_UTF8无BOM.csv", kind, ["CSV，UTF-8 不带 BOM", "经理手机带横线或空格"])
    wc = CsvLedger(csvf.path, encoding="utf-8", header=GRID_COLUMNS)
    for r in rows:
        p = r[4]
        if p and len(p) == 11:
            r = [
                *r[:4],
                rng.choice([f"{p[:3]}-{p[3:7]}-{p[7:]}", f"{p[:3]} {p[3:7]} {p[7:]}", p]),
                r[5],
            ]
        wc.write(r)
    wc.close()
    csvf.rows = wc.rows


def _staff(ctx: _Context) -> None:
    conn, rng = ctx.conn, ctx.rng
    s, sp, gm, g = _t(Staff), _t(StaffSpecialty), _t(GridMember), _t(Grid)
    labels = _labels(Specialty)
    specs: dict[int, list[str]] = {}
    for sid, spec in conn.execute(select(sp.c.staff_id, sp.c.specialty).order_by(sp.c.staff_id)):
        specs.setdefault(sid, []).append(labels[spec])
    grids: dict[int, list[str]] = {}
    stmt = (
        select(gm.c.staff_id, g.c.name)
        .select_from(gm.join(g, g.c.id == gm.c.grid_id))
        .order_by(g.c.id)
    )
    for sid, gname in conn.execute(stmt):
        grids.setdefault(sid, []).append(gname)
    rows = []
    for sid, emp, name, pos, phone, team in conn.execute(
        select(s.c.id, s.c.employee_no, s.c.name, s.c.position, s.c.phone, s.c.team)
        .where(s.c.active.is_(True))
        .order_by(s.c.id)
    ):
        rows.append(
            [
                emp,
                name,
                pos,
                "、".join(specs.get(sid, [])),
                phone,
                "、".join(grids.get(sid, [])),
                team,
            ]
        )
    kind = "人员花名册"
    clean = ctx.add(f"{kind}.xlsx", kind, ["标准版式", "只含在岗人员", "多个专业或网格用“、”连接"])
    w = XlsxLedger(
        clean.path,
        sheet=kind,
        title=ctx.title(kind),
        export_line=ctx.export_line,
        header=STAFF_COLUMNS,
    )
    for r in rows:
        w.write(r)
    w.close()
    clean.rows = w.rows
    order = [1, 0, 6, 2, 3, 4, 5]
    header = [STAFF_SYNONYMS.get(STAFF_COLUMNS[i], STAFF_COLUMNS[i]) for i in order] + ["入职日期"]
    f = ctx.add(
        f"{kind}_说明页在前.xlsx",
        kind,
        ["第一个工作表是“说明”", "表头在第5行", "同义表头：员工编号、移动电话、专业类别", "列顺序不同",
         "多出的列：入职日期（文本 2024/3/5）", "手机号带空格、横线、全角数字或 +86"],
    )  # fmt: skip
    wi = XlsxLedger(
        f.path,
        sheet=kind,
        title=ctx.title(kind),
        export_line=ctx.export_line,
        header=header,
        notes=["注：人员信息以人资系统为准。", ""],
        intro=["说明", "1. 本表数据在第二个工作表“人员花名册”。", "2. 员工编号即工号。"],
    )
    for r in rows:
        v = _reorder(r, order)
        if rng.random() < 0.6:
            v[5] = messy_phone(v[5], rng)
        joined = dt.date(rng.randint(1995, 2023), rng.randint(1, 12), rng.randint(1, 28))
        wi.write([*v, date_text(joined, "slash")])
    wi.close()
    f.rows = wi.rows


def _contacts(ctx: _Context) -> None:
    conn, rng = ctx.conn, ctx.rng
    c, a, cp, b = _t(Contact), _t(AdminArea), _t(Compound), _t(Building)
    labels = _labels(ContactKind)
    stmt = (
        select(
            a.c.name,
            cp.c.name,
            b.c.name,
            c.c.name,
            c.c.kind,
            c.c.phone,
            c.c.compound_id,
            c.c.building_id,
        )
        .select_from(
            c.outerjoin(a, a.c.id == c.c.community_id)
            .outerjoin(cp, cp.c.id == c.c.compound_id)
            .outerjoin(b, b.c.id == c.c.building_id)
        )
        .order_by(c.c.id)
    )
    rows = []
    for comm, comp, bld, name, kind_value, phone, comp_id, bld_id in conn.execute(stmt):
        building = bld if bld_id else ("全部" if comp_id else "")
        rows.append([comm or "", comp or "", building or "", name, labels[kind_value], phone])
    kind = "楼长联络表"
    clean = ctx.add(
        f"{kind}.xlsx", kind, ["标准版式", "楼栋“全部”表示整个小区，社区级联络人小区和楼栋为空"]
    )
    w = XlsxLedger(
        clean.path,
        sheet=kind,
        title=ctx.title(kind),
        export_line=ctx.export_line,
        header=CONTACT_COLUMNS,
    )
    for r in rows:
        w.write(r)
    w.close()
    clean.rows = w.rows
    f = ctx.add(
        f"{kind}_UTF8带BOM.csv",
        kind,
        ["CSV，UTF-8 带 BOM", "电话带 +86、全角数字、空格、横线", "夹有空行"],
    )
    wc = CsvLedger(f.path, encoding="utf-8-sig", header=CONTACT_COLUMNS)
    for i, r in enumerate(rows):
        if rng.random() < 0.5:
            r = [*r[:5], messy_phone(r[5], rng)]
        wc.write(r)
        if i % 37 == 3:
            wc.blank()
    wc.close()
    f.rows = wc.rows


def _arrears(ctx: _Context) -> None:
    conn = ctx.conn
    ar, c, t = _t(Arrears), _t(Customer), _t(TransformerArea)
    stmt = (
        select(
            c.c.account_no,
            c.c.name,
            c.c.address,
            t.c.name,
            ar.c.month,
            ar.c.amount_fen,
            ar.c.ledger_late_fee_fen,
            c.c.phone,
        )
        .select_from(
            ar.join(c, c.c.id == ar.c.customer_id).outerjoin(t, t.c.id == c.c.transformer_area_id)
        )
        .where(ar.c.status != "paid")
        .order_by(ar.c.id)
    )
    kind = "欠费明细"
    title = ctx.title(kind)
    clean = ctx.add(f"{kind}.xlsx", kind, ["标准版式", "金额为数字（元）", "欠费月份为文本 YYYYMM"])
    total = ctx.add(
        f"{kind}_含合计行.xlsx",
        kind,
        [
            "金额为数字",
            "欠费月份存为数字（如 202606）",
            "夹有空行",
            "末行为“合计”行，金额为公式 =SUM(F4:F…) 和 =SUM(G4:G…)",
        ],
    )
    text = ctx.add(
        f"{kind}_金额为文本.xlsx",
        kind,
        ["金额为文本（如 1,234.50，带千分位）", "欠费月份为文本 2026-06 或 2026年6月"],
    )
    gbk = ctx.add(f"{kind}_GBK.csv", kind, ["CSV，GBK 编码", "金额为带千分位的文本（如 1,234.50）"])
    w_clean = XlsxLedger(
        clean.path, sheet=kind, title=title, export_line=ctx.export_line, header=ARREARS_COLUMNS
    )
    w_total = XlsxLedger(
        total.path, sheet=kind, title=title, export_line=ctx.export_line, header=ARREARS_COLUMNS
    )
    w_text = XlsxLedger(
        text.path, sheet=kind, title=title, export_line=ctx.export_line, header=ARREARS_COLUMNS
    )
    w_gbk = CsvLedger(gbk.path, encoding="gbk", header=ARREARS_COLUMNS)
    sum_amount = sum_fee = 0
    for i, (acct, name, addr, ta, month, amount, fee, phone) in enumerate(_stream(conn, stmt)):
        yuan, fee_yuan = amount / 100, fee / 100
        w_clean.write([acct, name, addr, ta or "", month, yuan, fee_yuan, phone])
        w_total.write([acct, name, addr, ta or "", int(month), yuan, fee_yuan, phone])
        sum_amount += amount
        sum_fee += fee
        if i % 41 == 9:
            w_total.blank()
        m = f"{month[:4]}-{month[4:]}" if i % 2 else f"{month[:4]}年{int(month[4:])}月"
        w_text.write([acct, name, addr, ta or "", m, money_text(yuan), money_text(fee_yuan), phone])
        w_gbk.write(
            [acct, name, addr, ta or "", month, money_text(yuan), money_text(fee_yuan), phone]
        )
    first, last = w_total.first_data_row, w_total.last_row
    w_total.write(
        ["合计", None, None, None, None,
         Formula(f"=SUM(F{first}:F{last})", round(sum_amount / 100, 2)),
         Formula(f"=SUM(G{first}:G{last})", round(sum_fee / 100, 2)), None]
    )  # fmt: skip
    for f, w in ((clean, w_clean), (total, w_total), (text, w_text), (gbk, w_gbk)):
        w.close()
        f.rows = w.rows


def _orders(ctx: _Context) -> None:
    conn = ctx.conn
    o, c = _t(WorkOrder), _t(Customer)
    types, urgency = _labels(OrderType), _labels(Urgency)
    channel_95598 = {
        Channel.hotline_95598.value: "95598电话",
        Channel.app.value: "网上国网",
        Channel.wechat.value: "微信",
    }
    stmt = (
        select(
            o.c.external_no,
            o.c.received_at,
            o.c.type,
            c.c.account_no,
            c.c.name,
            o.c.caller_name,
            o.c.caller_phone,
            o.c.address,
            o.c.description,
            o.c.channel,
            o.c.urgency,
        )
        .select_from(o.outerjoin(c, c.c.id == o.c.customer_id))
        .where(o.c.external_no.is_not(None))
        .order_by(o.c.received_at, o.c.id)
    )
    kind = "95598工单"
    title = ctx.title(kind)
    clean = ctx.add(
        f"{kind}.xlsx", kind, ["标准版式", "工单编号为16位文本", "受理时间为日期时间格式"]
    )
    xls = ctx.add(
        f"{kind}_旧版xls.xls", kind, ["旧版 Excel 97-2003 (.xls)", "受理时间为日期时间格式"]
    )
    gb = ctx.add(
        f"{kind}_GB18030.csv", kind, ["CSV，GB18030 编码", "受理时间为文本 2026/11/13 14:05"]
    )
    w_clean = XlsxLedger(
        clean.path, sheet=kind, title=title, export_line=ctx.export_line, header=ORDER_COLUMNS
    )
    w_xls = XlsLedger(
        xls.path, sheet=kind, title=title, export_line=ctx.export_line, header=ORDER_COLUMNS
    )
    w_gb = CsvLedger(gb.path, encoding="gb18030", header=ORDER_COLUMNS)
    for ext, received, otype, acct, cname, caller, phone, addr, desc, channel, urg in _stream(
        conn, stmt
    ):
        row = [
            ext, received, types[otype], acct or "", cname or caller, phone, addr, desc,
            channel_95598.get(channel, "95598电话"), urgency[urg],
        ]  # fmt: skip
        w_clean.write(row)
        if w_xls.rows < XLS_ROWS:
            w_xls.write(row)
        w_gb.write(
            [ext, f"{received.year}/{received.month}/{received.day} {received:%H:%M}", *row[2:]]
        )
    for f, w in ((clean, w_clean), (xls, w_xls), (gb, w_gb)):
        w.close()
        f.rows = w.rows


# --------------------------------------------------------------------------- entry point


def _readme(ctx: _Context) -> Path:
    path = ctx.folder / "README.txt"
    lines = [
        f"{ctx.station} 演示台账",
        ctx.export_line,
        "",
        "这些文件由 gridsvc 演示数据生成器导出，内容与演示数据库一致，全部是虚构的。",
        "每类台账有一个标准版式的 .xlsx（第1行标题、第2行导出信息、第3行表头、第4行起为数据），",
        "另有若干“变形”文件，模拟真实台账的各种不规范形态，用来检验导入功能。",
        "",
    ]
    for f in ctx.files:
        lines.append(f"{f.path.name}  [{f.kind}，{f.rows} 行数据]")
        for shape in f.shapes:
            lines.append(f"    - {shape}")
        lines.append("")
    path.write_text("\r\n".join(lines), encoding="utf-8-sig")
    return path


STEPS: tuple[Callable[[_Context], None], ...] = (
    _customers, _transformer_areas, _grids, _staff, _contacts, _arrears, _orders,
)  # fmt: skip


def write_ledgers(folder: Path, *, db: Database, seed: int = 1) -> list[Path]:
    """Write the database's data as ledger files into `folder`; returns the files
    written (README.txt last). The messy variations are drawn from `seed`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with db.engine.connect() as conn:
        station = conn.execute(select(_t(Station).c.name).limit(1)).scalar() or "供电所"
        exported = dt.datetime.now().replace(microsecond=0)
        ctx = _Context(
            conn=conn,
            folder=folder,
            rng=random.Random(seed * 1_000_003 + 17),
            station=station,
            export_line=f"导出时间：{exported:%Y-%m-%d %H:%M:%S}    导出人：admin",
        )
        for step in STEPS:
            step(ctx)
        conn.rollback()
    readme = _readme(ctx)
    return [f.path for f in ctx.files] + [readme]
