"""The staff roster (人员花名册) and community contacts (楼长联络表).

The roster owns a person's name, position, phone, team, specialties and grid
membership (the grids named in 所属网格; memberships of grids not named are
removed). People missing from a roster are not deactivated: a roster may list
one team only.

The contact list owns each contact's building, kind, phone and WeChat group;
its key is community + compound + name. Communities, compounds and buildings
are created as needed; a new contact joins the grid laid over its community.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import Connection

from gridsvc_desktop.domain.enums import ContactKind, GridRole, Specialty
from gridsvc_desktop.ledgers.kinds.base import (
    Diff,
    Field,
    Kind,
    Writer,
    refuse_record,
    run,
    show,
    warn,
)
from gridsvc_desktop.ledgers.kinds.network import station_area_class
from gridsvc_desktop.ledgers.pipeline import Parsed
from gridsvc_desktop.ledgers.specs import CONTACTS, STAFF


def _label(enum: Any) -> Any:
    def fmt(v: Any) -> str:
        if isinstance(v, tuple):
            return show(tuple(enum(x).label for x in v))
        return show(enum(v).label if v else v)

    return fmt


class StaffKind(Kind):
    spec = STAFF
    entity = "staff"

    def fields(self, parsed: Parsed) -> list[Field]:
        out = []
        for n in parsed.fields:
            label = STAFF.column(n).header
            out.append(Field(n, label, _label(Specialty) if n == "specialties" else show))
        return out

    def link(self, conn: Connection, parsed: Parsed, fields: list[Field]) -> None:
        grids = {name for (name,) in run(conn, "SELECT name FROM grid")}
        sp = parsed.index("specialties") if "specialties" in parsed.fields else -1
        gr = parsed.index("grids") if "grids" in parsed.fields else -1
        for key, rec in parsed.records.items():
            out = list(rec)
            if sp >= 0:
                values = []
                for label in rec[sp]:
                    try:
                        values.append(Specialty.from_label(label).value)
                    except ValueError:
                        warn(
                            parsed,
                            rec[-1],
                            parsed.header("specialties"),
                            f"无法识别的专业“{label}”，已忽略",
                        )
                out[sp] = tuple(sorted(set(values)))
            if gr >= 0:
                known = []
                for name in rec[gr]:
                    if name in grids:
                        known.append(name)
                    else:
                        warn(parsed, rec[-1], parsed.header("grids"), f"网格“{name}”不存在，未加入")
                out[gr] = tuple(sorted(set(known)))
            parsed.records[key] = tuple(out)

    def existing(
        self, conn: Connection, fields: list[Field], keys: Iterable[Any] | None = None
    ) -> Iterator[tuple[Any, int, tuple[Any, ...]]]:
        specs: dict[int, list[str]] = {}
        for sid, value in run(conn, "SELECT staff_id, specialty FROM staff_specialty"):
            specs.setdefault(int(sid), []).append(value)
        grids: dict[int, list[str]] = {}
        for sid, name in run(
            conn, "SELECT m.staff_id, g.name FROM grid_member m JOIN grid g ON g.id = m.grid_id"
        ):
            grids.setdefault(int(sid), []).append(name)
        plain = [f.name for f in fields if f.name not in ("specialties", "grids")]
        for row in run(conn, f"SELECT id, {', '.join(plain)} FROM staff"):
            sid = int(row[0])
            got = dict(zip(plain, row[1:], strict=True))
            got["specialties"] = tuple(sorted(set(specs.get(sid, []))))
            got["grids"] = tuple(sorted(set(grids.get(sid, []))))
            yield got["employee_no"], sid, tuple(got[f.name] for f in fields)

    def write(self, w: Writer, fields: list[Field], diff: Diff) -> None:
        names = [f.name for f in fields]
        grid_ids = {
            name: (int(gid), mgr)
            for gid, name, mgr in run(w.conn, "SELECT id, name, manager_id FROM grid")
        }
        for rec in diff.creates:
            v = dict(zip(names, rec, strict=False))
            sid = w.insert(
                "staff",
                {
                    "employee_no": v["employee_no"],
                    "name": v["name"],
                    "phone": v.get("phone", ""),
                    "position": v.get("position", ""),
                    "team": v.get("team", ""),
                    "active": True,
                    "notes": "",
                    "version": 1,
                },
            )
            self._sets(w, sid, (), v.get("specialties", ()), (), v.get("grids", ()), grid_ids)
        for u in diff.updates:
            v = dict(zip(names, u.new, strict=False))
            old = dict(zip(names, u.old, strict=False))
            after = {n: v[n] for n in names if n not in ("employee_no", "specialties", "grids")}
            if after:
                w.patch("staff", u.entity_id, after)
            self._sets(
                w, u.entity_id,
                old.get("specialties", ()), v.get("specialties", old.get("specialties", ())),
                old.get("grids", ()), v.get("grids", old.get("grids", ())), grid_ids,
            )  # fmt: skip

    def _sets(
        self,
        w: Writer,
        sid: int,
        old_sp: tuple[str, ...],
        new_sp: tuple[str, ...],
        old_gr: tuple[str, ...],
        new_gr: tuple[str, ...],
        grid_ids: dict[str, tuple[int, Any]],
    ) -> None:
        for value in sorted(set(new_sp) - set(old_sp)):
            row = {"staff_id": sid, "specialty": value}
            run(
                w.conn,
                "INSERT INTO staff_specialty (staff_id, specialty) VALUES (?, ?)",
                [sid, value],
            )
            w.log("staff_specialty", 0, "link", row)
        for value in sorted(set(old_sp) - set(new_sp)):
            row = {"staff_id": sid, "specialty": value}
            run(
                w.conn,
                "DELETE FROM staff_specialty WHERE staff_id = ? AND specialty = ?",
                [sid, value],
            )
            w.log("staff_specialty", 0, "unlink", row)
        for name in sorted(set(new_gr) - set(old_gr)):
            gid, manager = grid_ids[name]
            role = GridRole.manager.value if manager == sid else GridRole.member.value
            run(
                w.conn,
                "INSERT INTO grid_member (grid_id, staff_id, role) VALUES (?, ?, ?)",
                [gid, sid, role],
            )
            w.log("grid_member", 0, "link", {"grid_id": gid, "staff_id": sid, "role": role})
        for name in sorted(set(old_gr) - set(new_gr)):
            gid, _ = grid_ids[name]
            rows = run(
                w.conn,
                "SELECT role FROM grid_member WHERE grid_id = ? AND staff_id = ?",
                [gid, sid],
            )
            run(w.conn, "DELETE FROM grid_member WHERE grid_id = ? AND staff_id = ?", [gid, sid])
            w.log("grid_member", 0, "unlink", {"grid_id": gid, "staff_id": sid, "role": rows[0][0]})


# --------------------------------------------------------------------------- contacts

WHOLE_COMPOUND = frozenset({"全部", "全小区", "整个小区", "所有", "全部楼栋", "-", "—", "/"})


class ContactsKind(Kind):
    spec = CONTACTS
    entity = "contact"

    def row_check(self, parsed: Parsed) -> Callable[[tuple[Any, ...]], bool] | None:
        if "phone" not in parsed.fields:
            return None
        i, header = parsed.index("phone"), parsed.header("phone")

        def check(record: tuple[Any, ...]) -> bool:
            if not record[i]:
                warn(parsed, record[-1], header, "电话为空")
            return True

        return check

    def fields(self, parsed: Parsed) -> list[Field]:
        return [
            Field(n, CONTACTS.column(n).header, _label(ContactKind) if n == "kind" else show)
            for n in parsed.fields
        ]

    def link(self, conn: Connection, parsed: Parsed, fields: list[Field]) -> None:
        counts: dict[str, int] = {}
        for (name,) in run(conn, "SELECT name FROM admin_area WHERE level = 'community'"):
            counts[name] = counts.get(name, 0) + 1
        b = parsed.index("building") if "building" in parsed.fields else -1
        c = parsed.index("community")
        for key, rec in list(parsed.records.items()):
            if counts.get(rec[c], 0) > 1:
                refuse_record(
                    parsed, key, rec[-1], parsed.header("community"),
                    f"有 {counts[rec[c]]} 个名为“{rec[c]}”的社区（村），无法确定是哪一个；请在系统中改名区分",
                )  # fmt: skip
                continue
            if b >= 0 and rec[b] in WHOLE_COMPOUND:
                parsed.records[key] = (*rec[:b], "", *rec[b + 1 :])

    def existing(
        self, conn: Connection, fields: list[Field], keys: Iterable[Any] | None = None
    ) -> Iterator[tuple[Any, int, tuple[Any, ...]]]:
        select = {
            "community": "coalesce(a.name, '')",
            "compound": "coalesce(cp.name, '')",
            "building": "coalesce(b.name, '')",
            "name": "c.name",
            "kind": "c.kind",
            "phone": "c.phone",
            "wechat_group": "c.wechat_group",
        }
        cols = ", ".join(select[f.name] for f in fields)
        text = (
            f"SELECT coalesce(a.name, ''), coalesce(cp.name, ''), c.name, c.id, {cols} FROM contact c"
            " LEFT JOIN admin_area a ON a.id = c.community_id LEFT JOIN compound cp ON cp.id = c.compound_id"
            " LEFT JOIN building b ON b.id = c.building_id ORDER BY c.id"
        )
        seen = set()
        for row in run(conn, text):
            key = (row[0], row[1], row[2])
            if key in seen:
                continue
            seen.add(key)
            yield key, int(row[3]), tuple(row[4:])

    def write(self, w: Writer, fields: list[Field], diff: Diff) -> None:
        names = [f.name for f in fields]
        area_class = station_area_class(w.conn)
        grids: dict[int, int] = {}
        for gid, comm in run(
            w.conn, "SELECT id, community_id FROM grid WHERE community_id IS NOT NULL ORDER BY id"
        ):
            grids.setdefault(int(comm), int(gid))
        for rec in diff.creates:
            v = dict(zip(names, rec, strict=False))
            comm_id = w.community(None, v["community"], area_class)
            assert comm_id is not None
            compound_id = w.compound(comm_id, v.get("compound", ""))
            w.insert(
                "contact",
                {
                    "kind": v["kind"],
                    "name": v["name"],
                    "phone": v.get("phone", ""),
                    "wechat_group": v.get("wechat_group", ""),
                    "community_id": comm_id,
                    "compound_id": compound_id,
                    "building_id": w.building(compound_id, v.get("building", "")),
                    "grid_id": grids.get(comm_id),
                    "notes": "",
                },
            )
        for u in diff.updates:
            v = dict(zip(names, u.new, strict=False))
            row = run(w.conn, "SELECT compound_id FROM contact WHERE id = ?", [u.entity_id])[0]
            after: dict[str, Any] = {n: v[n] for n in ("kind", "phone", "wechat_group") if n in v}
            if "building" in v:
                after["building_id"] = w.building(row[0], v["building"])
            w.patch("contact", u.entity_id, after)
