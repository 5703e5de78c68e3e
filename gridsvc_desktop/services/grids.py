"""Places and network: admin areas, feeders, transformer areas, grids."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from gridsvc_desktop.db.models import AdminArea, Feeder, Grid, Staff, TransformerArea
from gridsvc_desktop.domain import normalize
from gridsvc_desktop.domain.enums import AreaClass, AreaLevel, ServiceMode
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.common import InvalidInput, apply_update, get_or_raise


def ensure_area(
    session: Session,
    actor: Actor,
    name: str,
    level: AreaLevel,
    parent_id: int | None = None,
    area_class: AreaClass = AreaClass.urban,
) -> AdminArea:
    """The admin area of that name under `parent_id`, created if missing."""
    name = normalize.clean_text(name)
    if not name:
        raise InvalidInput("行政区划名称不能为空。", "name")
    area = session.execute(
        select(AdminArea).where(AdminArea.name == name, AdminArea.parent_id == parent_id)
    ).scalar_one_or_none()
    if area is None:
        actor.require(Permission.manage_grids)
        area = AdminArea(name=name, level=level, parent_id=parent_id, area_class=area_class)
        session.add(area)
        session.flush()
        audit.record(session, actor, "create", "admin_area", area.id, after=area)
    return area


def ensure_feeder(session: Session, actor: Actor, name: str) -> Feeder:
    name = normalize.clean_text(name)
    if not name:
        raise InvalidInput("线路名称不能为空。", "feeder")
    feeder = session.execute(select(Feeder).where(Feeder.name == name)).scalar_one_or_none()
    if feeder is None:
        actor.require(Permission.manage_grids)
        feeder = Feeder(name=name)
        session.add(feeder)
        session.flush()
        audit.record(session, actor, "create", "feeder", feeder.id, after=feeder)
    return feeder


@dataclass
class TransformerAreaInput:
    code: str
    name: str
    feeder: str = ""
    capacity_kva: int = 0
    grid_id: int | None = None
    community_id: int | None = None


def _ta_values(session: Session, actor: Actor, data: TransformerAreaInput) -> dict[str, object]:
    code = normalize.clean_text(data.code)
    if not code:
        raise InvalidInput("台区编号不能为空。", "code")
    name = normalize.clean_text(data.name)
    if not name:
        raise InvalidInput("台区名称不能为空。", "name")
    if data.capacity_kva < 0:
        raise InvalidInput("变压器容量不能为负数。", "capacity_kva")
    feeder_id = ensure_feeder(session, actor, data.feeder).id if data.feeder.strip() else None
    if data.grid_id is not None:
        get_or_raise(session, Grid, data.grid_id, "网格")
    return {
        "code": code,
        "name": name,
        "feeder_id": feeder_id,
        "capacity_kva": data.capacity_kva,
        "grid_id": data.grid_id,
        "community_id": data.community_id,
    }


def create_transformer_area(
    *, session: Session, actor: Actor, data: TransformerAreaInput
) -> TransformerArea:
    actor.require(Permission.manage_grids)
    values = _ta_values(session, actor, data)
    if session.execute(
        select(TransformerArea.id).where(TransformerArea.code == values["code"])
    ).first():
        raise InvalidInput(f"台区编号“{values['code']}”已存在。", "code")
    ta = TransformerArea(**values)  # type: ignore[arg-type]
    session.add(ta)
    session.flush()
    audit.record(session, actor, "create", "transformer_area", ta.id, after=ta)
    return ta


def update_transformer_area(
    *,
    session: Session,
    actor: Actor,
    ta_id: int,
    data: TransformerAreaInput,
    expected_version: int | None = None,
) -> TransformerArea:
    actor.require(Permission.manage_grids)
    ta = get_or_raise(session, TransformerArea, ta_id, "台区")
    values = _ta_values(session, actor, data)
    if values["code"] != ta.code:
        raise InvalidInput("台区编号不能修改。", "code")
    apply_update(
        session, actor, ta, values, entity="transformer_area", expected_version=expected_version
    )
    return ta


@dataclass
class GridInput:
    code: str
    name: str
    community_id: int | None = None
    area_class: AreaClass = AreaClass.urban
    service_mode: ServiceMode = ServiceMode.dedicated_manager
    manager_id: int | None = None
    notes: str = ""


def _grid_values(session: Session, data: GridInput) -> dict[str, object]:
    code, name = normalize.clean_text(data.code), normalize.clean_text(data.name)
    if not code:
        raise InvalidInput("网格编号不能为空。", "code")
    if not name:
        raise InvalidInput("网格名称不能为空。", "name")
    if data.manager_id is not None:
        manager = get_or_raise(session, Staff, data.manager_id, "人员")
        if not manager.active:
            raise InvalidInput(f"{manager.name} 已停用，不能担任网格客户经理。", "manager_id")
    if data.community_id is not None:
        area = get_or_raise(session, AdminArea, data.community_id, "社区")
        if area.level != AreaLevel.community:
            raise InvalidInput("网格须设在社区（村）上。", "community_id")
    return {
        "code": code,
        "name": name,
        "community_id": data.community_id,
        "area_class": data.area_class,
        "service_mode": data.service_mode,
        "manager_id": data.manager_id,
        "notes": data.notes,
    }


def create_grid(*, session: Session, actor: Actor, data: GridInput) -> Grid:
    actor.require(Permission.manage_grids)
    values = _grid_values(session, data)
    clash = session.execute(
        select(Grid.id).where((Grid.code == values["code"]) | (Grid.name == values["name"]))
    ).first()
    if clash:
        raise InvalidInput(f"网格“{values['name']}”或编号“{values['code']}”已存在。", "name")
    grid = Grid(**values)  # type: ignore[arg-type]
    session.add(grid)
    session.flush()
    audit.record(session, actor, "create", "grid", grid.id, after=grid)
    return grid


def update_grid(
    *,
    session: Session,
    actor: Actor,
    grid_id: int,
    data: GridInput,
    expected_version: int | None = None,
) -> Grid:
    actor.require(Permission.manage_grids)
    grid = get_or_raise(session, Grid, grid_id, "网格")
    apply_update(
        session, actor, grid, _grid_values(session, data), entity="grid",
        expected_version=expected_version,
    )  # fmt: skip
    return grid


def assign_transformer_areas(
    *, session: Session, actor: Actor, grid_id: int | None, ta_ids: list[int]
) -> int:
    """Put transformer areas into one grid (or none). Returns how many moved."""
    actor.require(Permission.manage_grids)
    if grid_id is not None:
        get_or_raise(session, Grid, grid_id, "网格")
    moved = 0
    for ta_id in ta_ids:
        ta = get_or_raise(session, TransformerArea, ta_id, "台区")
        if ta.grid_id != grid_id:
            apply_update(session, actor, ta, {"grid_id": grid_id}, entity="transformer_area")
            moved += 1
    return moved
