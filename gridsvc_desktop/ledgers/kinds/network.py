"""Transformer areas (台区档案) and the grid layout (网格划分).

The TA ledger owns code, name, feeder (by name, created as needed), capacity,
town/community (created as needed), grid (by name, when the column is there) and
manager (by name from the roster). The grid layout owns a grid's name, code,
town/community, manager (by phone, then by name), its set of transformer areas
(the 、-joined 台区编号; TAs left out are taken out of the grid) and, when the
columns are there, area class and service mode.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import Connection

from gridsvc_desktop.domain.enums import AreaClass, GridRole, ServiceMode
from gridsvc_desktop.ledgers.kinds.base import (
    CodeMatcher,
    Diff,
    Field,
    Kind,
    Writer,
    refuse_record,
    run,
    show,
    warn,
)
from gridsvc_desktop.ledgers.pipeline import Parsed
from gridsvc_desktop.ledgers.specs import GRIDS, TRANSFORMER_AREAS


def station_area_class(conn: Connection) -> AreaClass:
    rows = run(conn, "SELECT default_area_class FROM station LIMIT 1")
    return AreaClass(rows[0][0]) if rows else AreaClass.urban


def staff_by_name(conn: Connection) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for sid, name in run(conn, "SELECT id, name FROM staff WHERE active = ?", [True]):
        out.setdefault(name, []).append(int(sid))
    return out


def staff_label(conn: Connection) -> Any:
    names = dict(run(conn, "SELECT id, name FROM staff"))
    return lambda v: show(names.get(v, v))


def resolve_staff(
    parsed: Parsed, by_name: dict[str, list[int]], name: str, row: int, column: str
) -> int | None:
    if not name:
        return None
    ids = by_name.get(name, [])
    if len(ids) == 1:
        return ids[0]
    if ids:
        warn(parsed, row, column, f"花名册中有 {len(ids)} 个“{name}”，无法确定是谁，未关联")
    else:
        warn(parsed, row, column, f"花名册中没有“{name}”，未关联")
    return None


# --------------------------------------------------------------------------- transformer areas

_TA_SELECT = {
    "code": "ta.code",
    "name": "ta.name",
    "feeder": "coalesce(f.name, '')",
    "capacity_kva": "ta.capacity_kva",
    "town": "coalesce(town.name, '')",
    "community": "coalesce(comm.name, '')",
    "grid_id": "ta.grid_id",
    "manager_id": "ta.manager_id",
}
_TA_FROM = (
    " FROM transformer_area ta LEFT JOIN feeder f ON f.id = ta.feeder_id"
    " LEFT JOIN admin_area comm ON comm.id = ta.community_id"
    " LEFT JOIN admin_area town ON town.id = comm.parent_id"
)


class TransformerAreasKind(Kind):
    spec = TRANSFORMER_AREAS
    entity = "transformer_area"

    def row_check(self, parsed: Parsed) -> Callable[[tuple[Any, ...]], bool] | None:
        if "capacity_kva" not in parsed.fields:
            return None
        i, header = parsed.index("capacity_kva"), parsed.header("capacity_kva")

        def check(record: tuple[Any, ...]) -> bool:
            if record[i] == 0:
                warn(parsed, record[-1], header, "变压器容量为 0")
            return True

        return check

    def fields(self, parsed: Parsed) -> list[Field]:
        rename = {"grid": "grid_id", "manager": "manager_id"}
        return [Field(rename.get(n, n), TRANSFORMER_AREAS.column(n).header) for n in parsed.fields]

    def link(self, conn: Connection, parsed: Parsed, fields: list[Field]) -> None:
        self._rekey(conn, parsed)
        names = [f.name for f in fields]
        grids = {name: int(gid) for gid, name in run(conn, "SELECT id, name FROM grid")}
        grid_names = {v: k for k, v in grids.items()}
        people = staff_by_name(conn)
        for i, f in enumerate(fields):
            if f.name == "grid_id":
                fields[i] = Field(f.name, f.label, lambda v: show(grid_names.get(v, v)))
            elif f.name == "manager_id":
                fields[i] = Field(f.name, f.label, staff_label(conn))
        g = names.index("grid_id") if "grid_id" in names else -1
        m = names.index("manager_id") if "manager_id" in names else -1
        for key, rec in parsed.records.items():
            out = list(rec)
            if g >= 0:
                name = rec[g]
                out[g] = grids.get(name) if name else None
                if name and out[g] is None:
                    warn(parsed, rec[-1], parsed.header("grid"), f"网格“{name}”不存在，未关联网格")
            if m >= 0:
                out[m] = resolve_staff(parsed, people, rec[m], rec[-1], parsed.header("manager"))
            parsed.records[key] = tuple(out)

    def _rekey(self, conn: Connection, parsed: Parsed) -> None:
        """Codes read from number cells: find the existing TA whose code lost its
        leading zeros; refuse a new code shorter than all the others."""
        known = [c for (c,) in run(conn, "SELECT code FROM transformer_area")]
        matcher = CodeMatcher(known)
        usual = CodeMatcher([*known, *parsed.records]).usual_length
        i = parsed.index("code")
        header = parsed.header("code")
        for code in [c for c in parsed.records if c not in matcher.codes]:
            rec = parsed.records[code]
            found = matcher.find(code)
            if found is not None and found not in parsed.records:
                del parsed.records[code]
                parsed.records[found] = (*rec[:i], found, *rec[i + 1 :])
                warn(
                    parsed, rec[-1], header, f"台区编号“{code}”按已有台区补齐开头的 0，为“{found}”"
                )
            elif usual and code.isdigit() and len(code) < usual:
                refuse_record(
                    parsed, code, rec[-1], header,
                    f"台区编号“{code}”比其他台区编号（{usual} 位）短，可能丢失了开头的 0；"
                    "请把该列设为文本后重新导出",
                )  # fmt: skip

    def existing(
        self, conn: Connection, fields: list[Field], keys: Iterable[Any] | None = None
    ) -> Iterator[tuple[Any, int, tuple[Any, ...]]]:
        cols = ", ".join(_TA_SELECT[f.name] for f in fields)
        for row in run(conn, f"SELECT ta.code, ta.id, {cols}" + _TA_FROM):
            yield row[0], int(row[1]), tuple(row[2:])

    def side_effects(self, conn: Connection, parsed: Parsed, fields: list[Field]) -> list[str]:
        return _new_names(conn, parsed, fields)

    def write(self, w: Writer, fields: list[Field], diff: Diff) -> None:
        conn = w.conn
        names = [f.name for f in fields]
        area_class = station_area_class(conn)
        for rec in diff.creates:
            v = dict(zip(names, rec, strict=False))
            w.insert(
                "transformer_area",
                {
                    "code": v["code"],
                    "name": v["name"],
                    "feeder_id": w.feeder(v.get("feeder", "")),
                    "capacity_kva": v.get("capacity_kva", 0),
                    "grid_id": v.get("grid_id"),
                    "community_id": w.community(v.get("town"), v.get("community", ""), area_class),
                    "manager_id": v.get("manager_id"),
                    "notes": "",
                    "version": 1,
                },
            )
        for u in diff.updates:
            v = dict(zip(names, u.new, strict=False))
            after: dict[str, Any] = {}
            for name in names:
                if name in ("code", "town"):
                    continue
                if name == "feeder":
                    after["feeder_id"] = w.feeder(v["feeder"])
                elif name == "community":
                    after["community_id"] = w.community(v.get("town"), v["community"], area_class)
                else:
                    after[name] = v[name]
            w.patch("transformer_area", u.entity_id, after)


def _new_names(conn: Connection, parsed: Parsed, fields: list[Field]) -> list[str]:
    """Feeders and communities a TA / grid ledger would create."""
    names = [f.name for f in fields]
    out: list[str] = []
    if "feeder" in names:
        have = {n for (n,) in run(conn, "SELECT name FROM feeder")}
        i = names.index("feeder")
        new = sorted({r[i] for r in parsed.records.values() if r[i] and r[i] not in have})
        if new:
            out.append(
                f"新建线路 {len(new)} 条：" + "、".join(new[:20]) + ("…" if len(new) > 20 else "")
            )
    if "community" in names:
        have = {n for (n,) in run(conn, "SELECT name FROM admin_area WHERE level = 'community'")}
        i = names.index("community")
        new = sorted({r[i] for r in parsed.records.values() if r[i] and r[i] not in have})
        if new:
            out.append(
                f"新建社区（村） {len(new)} 个："
                + "、".join(new[:20])
                + ("…" if len(new) > 20 else "")
            )
    return out


# --------------------------------------------------------------------------- grids

_GRID_SELECT = {
    "name": "g.name",
    "code": "g.code",
    "town": "coalesce(town.name, '')",
    "community": "coalesce(comm.name, '')",
    "manager_id": "g.manager_id",
    "area_class": "g.area_class",
    "service_mode": "g.service_mode",
}
_CODE = re.compile(r"WG(\d+)$")


class GridsKind(Kind):
    spec = GRIDS
    entity = "grid"

    def fields(self, parsed: Parsed) -> list[Field]:
        out = []
        for n in parsed.fields:
            if n == "manager_phone":
                continue
            if n == "manager":
                out.append(Field("manager_id", GRIDS.column(n).header))
            else:
                out.append(Field(n, GRIDS.column(n).header))
        if "manager_phone" in parsed.fields and "manager" not in parsed.fields:
            out.append(Field("manager_id", GRIDS.column("manager").header))
        return out

    def link(self, conn: Connection, parsed: Parsed, fields: list[Field]) -> None:
        people = staff_by_name(conn)
        by_phone: dict[str, list[int]] = {}
        for sid, phone in run(
            conn, "SELECT id, phone FROM staff WHERE active = ? AND phone != ''", [True]
        ):
            by_phone.setdefault(phone, []).append(int(sid))
        tas = CodeMatcher(c for (c,) in run(conn, "SELECT code FROM transformer_area"))
        for i, f in enumerate(fields):
            if f.name == "manager_id":
                fields[i] = Field(f.name, f.label, staff_label(conn))
            elif f.name == "area_class":
                fields[i] = Field(f.name, f.label, lambda v: show(AreaClass(v).label if v else v))
            elif f.name == "service_mode":
                fields[i] = Field(f.name, f.label, lambda v: show(ServiceMode(v).label if v else v))
        src = {n: parsed.index(n) for n in parsed.fields}
        seen_ta: dict[str, int] = {}
        for key, rec in list(parsed.records.items()):
            row = rec[-1]
            out: list[Any] = []
            refused = False
            for f in fields:
                if f.name == "manager_id":
                    out.append(self._manager(parsed, rec, src, people, by_phone))
                elif f.name == "ta_codes":
                    codes = []
                    for raw_code in rec[src["ta_codes"]]:
                        code = tas.find(raw_code) or raw_code
                        if code in seen_ta and seen_ta[code] != row:
                            refuse_record(
                                parsed, key, row, parsed.header("ta_codes"),
                                f"台区编号“{code}”已在第 {seen_ta[code]} 行的网格中，一个台区只能属于一个网格",
                            )  # fmt: skip
                            refused = True
                            break
                        seen_ta[code] = row
                        if code in tas.codes:
                            codes.append(code)
                        else:
                            warn(
                                parsed,
                                row,
                                parsed.header("ta_codes"),
                                f"台区编号“{code}”不存在，已忽略",
                            )
                    out.append(tuple(sorted(codes)))
                else:
                    out.append(rec[src[f.name]])
                if refused:
                    break
            if not refused:
                parsed.records[key] = (*out, row)

    def _manager(
        self,
        parsed: Parsed,
        rec: tuple[Any, ...],
        src: dict[str, int],
        people: dict[str, list[int]],
        by_phone: dict[str, list[int]],
    ) -> int | None:
        row = rec[-1]
        phone = rec[src["manager_phone"]] if "manager_phone" in src else ""
        name = rec[src["manager"]] if "manager" in src else ""
        if phone and len(by_phone.get(phone, [])) == 1:
            return by_phone[phone][0]
        if name:
            return resolve_staff(parsed, people, name, row, parsed.header("manager"))
        if phone:
            warn(
                parsed,
                row,
                parsed.header("manager_phone"),
                f"花名册中没有手机为 {phone} 的人员，未关联经理",
            )
        return None

    def existing(
        self, conn: Connection, fields: list[Field], keys: Iterable[Any] | None = None
    ) -> Iterator[tuple[Any, int, tuple[Any, ...]]]:
        codes: dict[int, list[str]] = {}
        for gid, code in run(
            conn, "SELECT grid_id, code FROM transformer_area WHERE grid_id IS NOT NULL"
        ):
            codes.setdefault(int(gid), []).append(code)
        cols = ", ".join("g.id" if f.name == "ta_codes" else _GRID_SELECT[f.name] for f in fields)
        text = (
            f"SELECT g.name, g.id, {cols} FROM grid g LEFT JOIN admin_area comm ON comm.id = g.community_id"
            " LEFT JOIN admin_area town ON town.id = comm.parent_id"
        )
        for row in run(conn, text):
            gid = int(row[1])
            values = [
                tuple(sorted(codes.get(gid, []))) if f.name == "ta_codes" else row[2 + i]
                for i, f in enumerate(fields)
            ]
            yield row[0], gid, tuple(values)

    def side_effects(self, conn: Connection, parsed: Parsed, fields: list[Field]) -> list[str]:
        return _new_names(conn, parsed, fields)

    def write(self, w: Writer, fields: list[Field], diff: Diff) -> None:
        conn = w.conn
        names = [f.name for f in fields]
        default_class = station_area_class(conn)
        taken = [
            int(m.group(1)) for (c,) in run(conn, "SELECT code FROM grid") if (m := _CODE.match(c))
        ]
        next_code = max(taken, default=0) + 1
        ta_ids = {
            code: int(tid) for tid, code in run(conn, "SELECT id, code FROM transformer_area")
        }
        for rec in diff.creates:
            v = dict(zip(names, rec, strict=False))
            code = v.get("code") or ""
            if not code:
                code = f"WG{next_code:03d}"
                next_code += 1
            area_class = AreaClass(v["area_class"]) if v.get("area_class") else default_class
            gid = w.insert(
                "grid",
                {
                    "code": code,
                    "name": v["name"],
                    "community_id": w.community(v.get("town"), v.get("community", ""), area_class),
                    "area_class": area_class.value,
                    "service_mode": v.get("service_mode") or ServiceMode.dedicated_manager.value,
                    "manager_id": v.get("manager_id"),
                    "notes": "",
                    "version": 1,
                },
            )
            if "ta_codes" in v:
                self._tas(w, gid, (), v["ta_codes"], ta_ids)
            self._manager_member(w, gid, v.get("manager_id"))
        for u in diff.updates:
            v = dict(zip(names, u.new, strict=False))
            old = dict(zip(names, u.old, strict=False))
            after: dict[str, Any] = {}
            for name in names:
                if name in ("name", "town", "ta_codes"):
                    continue
                if name == "community":
                    cls = AreaClass(v["area_class"]) if v.get("area_class") else default_class
                    after["community_id"] = w.community(v.get("town"), v["community"], cls)
                elif name == "code":
                    if v["code"]:
                        after["code"] = v["code"]
                else:
                    after[name] = v[name]
            if after:
                w.patch("grid", u.entity_id, after)
            if "ta_codes" in v:
                self._tas(w, u.entity_id, old["ta_codes"], v["ta_codes"], ta_ids)
            if "manager_id" in v:
                self._manager_member(w, u.entity_id, v["manager_id"])

    def _tas(
        self, w: Writer, gid: int, old: tuple[str, ...], new: tuple[str, ...], ids: dict[str, int]
    ) -> None:
        for code in sorted(set(new) - set(old)):
            w.patch("transformer_area", ids[code], {"grid_id": gid})
        for code in sorted(set(old) - set(new)):
            w.patch("transformer_area", ids[code], {"grid_id": None})

    def _manager_member(self, w: Writer, gid: int, staff_id: int | None) -> None:
        if staff_id is None:
            return
        rows = run(
            w.conn,
            "SELECT role FROM grid_member WHERE grid_id = ? AND staff_id = ?",
            [gid, staff_id],
        )
        if not rows:
            row = {"grid_id": gid, "staff_id": staff_id, "role": GridRole.manager.value}
            run(
                w.conn,
                "INSERT INTO grid_member (grid_id, staff_id, role) VALUES (?, ?, ?)",
                list(row.values()),
            )
            w.log("grid_member", 0, "link", row)
        elif rows[0][0] != GridRole.manager.value:
            run(
                w.conn,
                "UPDATE grid_member SET role = ? WHERE grid_id = ? AND staff_id = ?",
                [GridRole.manager.value, gid, staff_id],
            )
            w.log(
                "grid_member", 0, "role", {"grid_id": gid, "staff_id": staff_id, "role": rows[0][0]}
            )
