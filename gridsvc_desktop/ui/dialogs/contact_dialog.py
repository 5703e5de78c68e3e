"""Adding or editing a community contact (楼长, 物业, 门卫, 社区网格员, 社区服务中心)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain import normalize
from gridsvc_desktop.domain.enums import ContactKind
from gridsvc_desktop.services import contacts as contact_svc
from gridsvc_desktop.services import grids as grid_svc
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.contacts import ContactRow
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.service_dialog import Saver, ServiceDialog
from gridsvc_desktop.ui.drafts import keep_draft
from gridsvc_desktop.ui.qt import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.picker import Picker

AUTO_GRID = -1


@dataclass
class ContactChoices:
    communities: list[tuple[int, str]] = field(default_factory=list)
    #: community id → its grids (id, label)
    grids: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    #: community id → compound names
    compounds: dict[int, list[str]] = field(default_factory=dict)
    #: (community id, compound name) → building names
    buildings: dict[tuple[int, str], list[str]] = field(default_factory=dict)


def load_contact_choices(db: Database) -> ContactChoices:
    from gridsvc_desktop.db.models import Building, Compound, Grid

    out = ContactChoices()
    with db.read() as s:
        out.communities = [(c.id, c.label) for c in grid_svc.community_choices(s)]
        for gid, code, name, cid in s.execute(
            select(Grid.id, Grid.code, Grid.name, Grid.community_id).order_by(col(Grid.code))
        ).all():
            if gid is not None and cid is not None:
                out.grids.setdefault(cid, []).append((gid, f"{name}（{code}）"))
        for cid, name in s.execute(
            select(Compound.community_id, Compound.name).order_by(col(Compound.name))
        ).all():
            out.compounds.setdefault(cid, []).append(name)
        rows = s.execute(
            select(Compound.community_id, Compound.name, Building.name).join(
                Compound, col(Compound.id) == col(Building.compound_id)
            )
        ).all()
    for cid, compound, building in rows:
        out.buildings.setdefault((cid, compound), []).append(building)
    for names in out.buildings.values():
        names.sort(key=lambda n: (len(n), n))
    return out


class ContactDialog(ServiceDialog):
    def __init__(
        self,
        ctx: UiContext,
        choices: ContactChoices,
        row: ContactRow | None = None,
        parent: QWidget | None = None,
        *,
        community_id: int | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("contact_dialog")
        self.choices = choices
        self.row = row
        self.setWindowTitle(self.tr("Edit contact") if row else self.tr("New contact"))

        self.kind = QComboBox()
        self.kind.setObjectName("contact_kind")
        for k in ContactKind:
            self.kind.addItem(k.label, k.value)
        if row is not None:
            self.kind.setCurrentIndex(self.kind.findData(row.kind.value))
        self.name = QLineEdit(row.name if row else "")
        self.name.setObjectName("contact_name")
        self.phone = QLineEdit(row.phone if row else "")
        self.phone.setObjectName("contact_phone")
        self.phone.setPlaceholderText(self.tr("Mobile, or landline with area code"))
        self.wechat = QLineEdit(row.wechat_group if row else "")
        self.wechat.setObjectName("contact_wechat")
        self.wechat.setPlaceholderText(self.tr("e.g. 幸福小区3栋住户群"))
        self.community = Picker(choices.communities)
        self.community.setObjectName("contact_community")
        self.community.set_current_id(row.community_id if row else community_id)
        self.compound = QComboBox()
        self.compound.setObjectName("contact_compound")
        self.compound.setEditable(True)
        self.building = QComboBox()
        self.building.setObjectName("contact_building")
        self.building.setEditable(True)
        self.grid = QComboBox()
        self.grid.setObjectName("contact_grid")
        self.notes = QPlainTextEdit(row.notes if row else "")
        self.notes.setObjectName("contact_notes")
        self.notes.setFixedHeight(self.fontMetrics().height() * 3 + 12)
        self._fill_compounds(row.compound if row else "")
        self._fill_buildings(row.building if row else "")
        self._fill_grids(row.grid_id if row else None)

        form = QFormLayout()
        form.addRow(self.tr("Role"), self.kind)
        form.addRow(self.tr("Name"), self.name)
        form.addRow("", self.field_label("name"))
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow("", self.field_label("phone"))
        form.addRow(self.tr("WeChat group"), self.wechat)
        form.addRow(self.tr("Community or village"), self.community)
        form.addRow("", self.field_label("community_id"))
        form.addRow(self.tr("Compound"), self.compound)
        form.addRow("", self.field_label("compound"))
        form.addRow(self.tr("Building"), self.building)
        form.addRow(self.tr("Grid"), self.grid)
        form.addRow("", self.field_label("grid_id"))
        form.addRow(self.tr("Notes"), self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(max(480, self.sizeHint().width()), self.sizeHint().height())

        self.watch(self.name, self.phone, self.wechat, self.community, self.compound, self.building)
        self.community.currentIndexChanged.connect(self._on_community_current_index_changed)
        self.compound.currentTextChanged.connect(self._on_compound_current_text_changed)
        self.revalidate()
        keep_draft(self, f"contact/{row.id if row else 'new'}")

    # ---- dependent lists

    def _fill_compounds(self, keep: str) -> None:
        cid = self.community.current_id()
        self.compound.blockSignals(True)
        self.compound.clear()
        self.compound.addItems(self.choices.compounds.get(cid, []) if cid is not None else [])
        self.compound.setEditText(keep)
        self.compound.blockSignals(False)

    def _fill_buildings(self, keep: str) -> None:
        cid = self.community.current_id()
        names = (
            self.choices.buildings.get((cid, self.compound.currentText().strip()), [])
            if cid is not None
            else []
        )
        self.building.blockSignals(True)
        self.building.clear()
        self.building.addItems(names)
        self.building.setEditText(keep)
        self.building.blockSignals(False)

    def _fill_grids(self, keep: int | None) -> None:
        cid = self.community.current_id()
        grids = self.choices.grids.get(cid, []) if cid is not None else []
        self.grid.clear()
        if len(grids) == 1:
            self.grid.addItem(grids[0][1], grids[0][0])
        elif not grids:
            self.grid.addItem(self.tr("(the community has no grid yet)"), AUTO_GRID)
        else:
            for gid, label in grids:
                self.grid.addItem(label, gid)
            if keep is not None and self.grid.findData(keep) >= 0:
                self.grid.setCurrentIndex(self.grid.findData(keep))
        self.grid.setEnabled(len(grids) > 1)

    def _on_community_current_index_changed(self, _index: int) -> None:
        self._fill_compounds("")
        self._fill_buildings("")
        self._fill_grids(None)

    def _on_compound_current_text_changed(self, _text: str) -> None:
        self._fill_buildings(self.building.currentText())

    # ---- checking and saving

    def problems(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if not self.name.text().strip():
            out["name"] = self.tr("Enter the name (for a service centre, its name).")
        phone = self.phone.text().strip()
        if phone:
            try:
                normalize.phone(phone)
            except normalize.NormalizeError as exc:
                out["phone"] = self.tr("Not a phone number: {reason}").format(reason=str(exc))
        elif not self.wechat.text().strip():
            out["phone"] = self.tr("Give a phone or a WeChat group: one way to reach them.")
        if self.community.current_id() is None:
            out["community_id"] = self.tr("Pick the community from the list.")
        if self.building.currentText().strip() and not self.compound.currentText().strip():
            out["compound"] = self.tr("A building needs its compound.")
        return out

    def saver(self) -> Saver:
        grid_value = self.grid.currentData()
        data = contact_svc.ContactInput(
            kind=ContactKind(self.kind.currentData()),
            name=self.name.text(),
            community_id=self.community.current_id(),
            phone=self.phone.text(),
            wechat_group=self.wechat.text(),
            compound=self.compound.currentText(),
            building=self.building.currentText(),
            grid_id=int(grid_value) if grid_value is not None and grid_value != AUTO_GRID else None,
            notes=self.notes.toPlainText().strip(),
        )
        row = self.row

        def save(session: Session, actor: Actor) -> int:
            if row is None:
                contact = contact_svc.create_contact(session=session, actor=actor, data=data)
                assert contact.id is not None
                return contact.id
            contact_svc.update_contact(session=session, actor=actor, contact_id=row.id, data=data)
            return row.id

        return save
