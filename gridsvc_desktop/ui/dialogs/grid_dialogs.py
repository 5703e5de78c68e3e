"""Dialogs of the grid page: a grid's set-up, who covers it, moving transformer
areas between grids, and linking a customer to a transformer area.

Everything they offer to pick from comes in a `GridChoices`, loaded by the page
on a worker (`load_grid_choices`); every change goes through services.grids /
services.roster with the acting user, on a worker, in one write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import AreaClass, GridRole, ServiceMode
from gridsvc_desktop.services import grids as grid_svc
from gridsvc_desktop.services import roster
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.grids import GridInfo, MoveResult
from gridsvc_desktop.ui.background import Task, error_text, run_in_background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.service_dialog import ERROR_COLOR, Saver, ServiceDialog, error_label
from gridsvc_desktop.ui.drafts import keep_draft
from gridsvc_desktop.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from gridsvc_desktop.ui.widgets.picker import Picker

# ---- what the dialogs pick from (loaded on a worker)


@dataclass
class GridChoices:
    communities: list[tuple[int, str]] = field(default_factory=list)
    community_class: dict[int, AreaClass] = field(default_factory=dict)
    staff: list[tuple[int, str]] = field(default_factory=list)
    grids: list[tuple[int, str]] = field(default_factory=list)
    grid_codes: dict[str, int] = field(default_factory=dict)
    grid_names: dict[str, int] = field(default_factory=dict)
    feeders: list[tuple[int, str]] = field(default_factory=list)


def load_grid_choices(db: Database) -> GridChoices:
    from sqlmodel import select

    from gridsvc_desktop.db.models import AdminArea, Grid
    from gridsvc_desktop.domain.enums import AreaLevel

    with db.read() as s:
        out = GridChoices(
            communities=[(c.id, c.label) for c in grid_svc.community_choices(s)],
            staff=roster.staff_choices(s),
            grids=[(c.id, c.label) for c in grid_svc.grid_choices(s)],
            feeders=[(c.id, c.label) for c in grid_svc.feeder_choices(s)],
        )
        for area_id, cls in s.execute(
            select(AdminArea.id, AdminArea.area_class).where(AdminArea.level == AreaLevel.community)
        ).all():
            if area_id is not None:
                out.community_class[area_id] = cls
        for grid_id, code, name in s.execute(select(Grid.id, Grid.code, Grid.name)).all():
            if grid_id is not None:
                out.grid_codes[code.upper()] = grid_id
                out.grid_names[name] = grid_id
    return out


def _enum_combo(members: list[AreaClass] | list[ServiceMode]) -> QComboBox:
    combo = QComboBox()
    for m in members:
        combo.addItem(m.label, m.value)
    return combo


# ---- a grid's set-up


class GridDialog(ServiceDialog):
    """Create a grid, or edit one (`grid` given)."""

    def __init__(
        self,
        ctx: UiContext,
        choices: GridChoices,
        grid: GridInfo | None = None,
        parent: QWidget | None = None,
        *,
        community_id: int | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("grid_dialog")
        self.choices = choices
        self.grid = grid
        self.setWindowTitle(self.tr("Edit grid") if grid else self.tr("New grid"))

        self.code_edit = QLineEdit(grid.code if grid else "")
        self.code_edit.setObjectName("grid_code")
        self.code_edit.setPlaceholderText(self.tr("e.g. WG021"))
        self.name_edit = QLineEdit(grid.name if grid else "")
        self.name_edit.setObjectName("grid_name")
        self.name_edit.setPlaceholderText(self.tr("e.g. 文庙社区网格"))
        self.community = Picker(choices.communities, none_text=self.tr("(no community)"))
        self.community.setObjectName("grid_community")
        self.community.set_current_id(grid.community_id if grid else community_id)
        self.area_class = _enum_combo(list(AreaClass))
        self.area_class.setObjectName("grid_area_class")
        self.mode = _enum_combo(list(ServiceMode))
        self.mode.setObjectName("grid_mode")
        self.manager = Picker(choices.staff, none_text=self.tr("(no manager yet)"))
        self.manager.setObjectName("grid_manager")
        self.notes = QPlainTextEdit(grid.notes if grid else "")
        self.notes.setObjectName("grid_notes")
        self.notes.setFixedHeight(self.fontMetrics().height() * 4)
        if grid is not None:
            self.area_class.setCurrentIndex(self.area_class.findData(grid.area_class.value))
            self.mode.setCurrentIndex(self.mode.findData(grid.service_mode.value))
            if grid.manager_id is not None and self.manager.findData(grid.manager_id) < 0:
                # an inactive manager is not offered; show who it is, and that it must change
                self.manager.addItem(
                    self.tr("{name} (inactive)").format(name=grid.manager), grid.manager_id
                )
            self.manager.set_current_id(grid.manager_id)
        elif community_id is not None:
            self._prefill_class()

        form = QFormLayout()
        form.addRow(self.tr("Code"), self.code_edit)
        form.addRow("", self.field_label("code"))
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow("", self.field_label("name"))
        form.addRow(self.tr("Community or village"), self.community)
        form.addRow("", self.field_label("community_id"))
        form.addRow(self.tr("Area class"), self.area_class)
        form.addRow(self.tr("Service mode"), self.mode)
        form.addRow(self.tr("Grid customer manager"), self.manager)
        form.addRow("", self.field_label("manager_id"))
        form.addRow(self.tr("Notes"), self.notes)
        hint = QLabel(
            self.tr(
                "The area class sets the repair arrival limit (urban 45, rural 90, remote 120 minutes)."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6b7a;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(max(460, self.sizeHint().width()), self.sizeHint().height())

        self.watch(self.code_edit, self.name_edit, self.community, self.manager)
        self.community.currentIndexChanged.connect(self._on_community_current_index_changed)
        self.revalidate()
        keep_draft(self, f"grid/{grid.id if grid else 'new'}")

    def _prefill_class(self) -> None:
        cid = self.community.current_id()
        if cid is not None and cid in self.choices.community_class:
            cls = self.choices.community_class[cid]
            self.area_class.setCurrentIndex(self.area_class.findData(cls.value))

    def _on_community_current_index_changed(self, _index: int) -> None:
        if self.grid is None:
            self._prefill_class()

    def problems(self) -> dict[str, str]:
        out: dict[str, str] = {}
        own = self.grid.id if self.grid else None
        code = self.code_edit.text().strip()
        if not code:
            out["code"] = self.tr("Enter the grid's code.")
        elif self.choices.grid_codes.get(code.upper(), own) != own:
            out["code"] = self.tr("Another grid has this code.")
        name = self.name_edit.text().strip()
        if not name:
            out["name"] = self.tr("Enter the grid's name.")
        elif self.choices.grid_names.get(name, own) != own:
            out["name"] = self.tr("Another grid has this name.")
        if not self.community.is_valid():
            out["community_id"] = self.tr("Pick a community from the list.")
        if not self.manager.is_valid():
            out["manager_id"] = self.tr("Pick a person from the roster.")
        return out

    def saver(self) -> Saver:
        data = grid_svc.GridInput(
            code=self.code_edit.text().strip(),
            name=self.name_edit.text().strip(),
            community_id=self.community.current_id(),
            area_class=AreaClass(self.area_class.currentData()),
            service_mode=ServiceMode(self.mode.currentData()),
            manager_id=self.manager.current_id(),
            notes=self.notes.toPlainText().strip(),
        )
        grid = self.grid

        def save(session: Session, actor: Actor) -> int:
            if grid is None:
                created = grid_svc.create_grid(session=session, actor=actor, data=data)
                assert created.id is not None
                return created.id
            grid_svc.update_grid(
                session=session, actor=actor, grid_id=grid.id, data=data,
                expected_version=grid.version,
            )  # fmt: skip
            return grid.id

        return save


# ---- who covers a grid / which grids a person covers


class PlacementsDialog(QDialog):
    """The places of one grid (`grid_id`) or of one person (`staff_id`), edited live."""

    changed = Signal()

    def __init__(
        self,
        ctx: UiContext,
        *,
        title: str,
        grid_id: int | None = None,
        staff_id: int | None = None,
        options: list[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert (grid_id is None) != (staff_id is None)
        self.setObjectName("placements_dialog")
        self.ctx = ctx
        self.grid_id = grid_id
        self.staff_id = staff_id
        self._task: Task | None = None
        self.places: list[roster.Placement] = []
        self.setWindowTitle(title)

        self.list = QListWidget()
        self.list.setObjectName("placements_list")
        self.picker = Picker(options)
        self.picker.setObjectName("placements_picker")
        self.role = QComboBox()
        self.role.setObjectName("placements_role")
        for r in GridRole:
            self.role.addItem(r.label, r.value)
        self.role.setCurrentIndex(self.role.findData(GridRole.member.value))
        self.add_button = QPushButton(self.tr("Add or change"))
        self.add_button.setObjectName("placements_add")
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("placements_remove")
        self.status = error_label("placements_status")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        pick_row = QHBoxLayout()
        pick_row.addWidget(self.picker, 1)
        pick_row.addWidget(self.role)
        pick_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        caption = QLabel(
            self.tr("People in this grid and their role:")
            if grid_id is not None
            else self.tr("Grids this person covers, and the role:")
        )
        layout.addWidget(caption)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        layout.addLayout(pick_row)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.resize(520, 420)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.picker.editTextChanged.connect(self._on_picker_edit_text_changed)
        self._update_buttons()
        self.reload()

    def reload(self) -> None:
        db, grid_id, staff_id = self.ctx.db, self.grid_id, self.staff_id

        def work(_progress: object) -> list[roster.Placement]:
            with db.read() as s:
                return roster.placements(s, grid_id=grid_id, staff_id=staff_id)

        self._task = run_in_background(
            self, work, on_success=self._on_loaded, on_failure=self._on_failed
        )
        self._update_buttons()

    def _on_loaded(self, places: list[roster.Placement]) -> None:
        self._task = None
        self.places = places
        self.list.clear()
        for p in places:
            who = p.staff if self.grid_id is not None else p.grid
            text = f"{who}　·　{p.role.label}"
            if not p.active:
                text += self.tr(" (inactive)")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, p.staff_id if self.grid_id else p.grid_id)
            self.list.addItem(item)
        self._update_buttons()

    def _on_failed(self, error: BaseException) -> None:
        self._task = None
        self.status.setText(error_text(error))
        self.status.setVisible(True)
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = self._task is None
        self.add_button.setEnabled(idle and self.picker.current_id() is not None)
        self.remove_button.setEnabled(idle and self.list.currentRow() >= 0)

    def _write(self, other_id: int, role: GridRole | None) -> None:
        db_ctx = self.ctx
        grid_id = self.grid_id if self.grid_id is not None else other_id
        staff_id = self.staff_id if self.staff_id is not None else other_id

        def work(_progress: object) -> None:
            actor = db_ctx.acting()
            with db_ctx.db.write() as s:
                roster.set_grid_member(
                    session=s, actor=actor, grid_id=grid_id, staff_id=staff_id, role=role
                )

        self.status.setVisible(False)
        self._task = run_in_background(
            self, work, on_success=self._on_written, on_failure=self._on_failed
        )
        self._update_buttons()

    def _on_written(self, _result: object) -> None:
        self._task = None
        self.changed.emit()
        self.reload()

    def _on_add_button_clicked(self) -> None:
        other = self.picker.current_id()
        if other is not None and self._task is None:
            self._write(other, GridRole(self.role.currentData()))

    def _on_remove_button_clicked(self) -> None:
        item = self.list.currentItem()
        if item is not None and self._task is None:
            self._write(int(item.data(Qt.ItemDataRole.UserRole)), None)

    def _on_list_current_row_changed(self, _row: int) -> None:
        self._update_buttons()

    def _on_picker_edit_text_changed(self, _text: str) -> None:
        self._update_buttons()


# ---- moving transformer areas


class MoveDialog(ServiceDialog):
    """Move transformer areas (the given ones, or all of a feeder's) into a grid."""

    def __init__(
        self,
        ctx: UiContext,
        choices: GridChoices,
        *,
        ta_ids: list[int] | None = None,
        ta_names: list[str] | None = None,
        by_feeder: bool = False,
        target_grid_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("move_dialog")
        self.ta_ids = list(ta_ids or [])
        self.by_feeder = by_feeder
        self._preview_generation = 0
        self._preview_task: Task | None = None
        self.setWindowTitle(
            self.tr("Move a feeder's transformer areas")
            if by_feeder
            else self.tr("Move transformer areas")
        )
        form = QFormLayout()
        self.feeder = Picker(choices.feeders)
        self.feeder.setObjectName("move_feeder")
        if by_feeder:
            form.addRow(self.tr("Feeder"), self.feeder)
            form.addRow("", self.field_label("feeder"))
        else:
            names = ta_names or []
            shown = "、".join(names[:6]) + (
                self.tr(" and {count} more").format(count=len(names) - 6) if len(names) > 6 else ""
            )
            what = QLabel(shown)
            what.setObjectName("move_what")
            what.setWordWrap(True)
            what.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow(self.tr("Transformer areas"), what)
        self.target = Picker(choices.grids, none_text=self.tr("(in no grid)"))
        self.target.setObjectName("move_target")
        self.target.set_current_id(target_grid_id)
        if target_grid_id is None:
            self.target.setCurrentIndex(-1)
            self.target.setEditText("")
        form.addRow(self.tr("Into grid"), self.target)
        form.addRow("", self.field_label("target"))
        self.preview = QLabel()
        self.preview.setObjectName("move_preview")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setMinimumHeight(self.fontMetrics().height() * 4)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(520, 320)
        self.watch(self.feeder, self.target)
        self.feeder.currentIndexChanged.connect(self._on_choice_changed)
        self.target.currentIndexChanged.connect(self._on_choice_changed)
        self.target.editTextChanged.connect(self._on_choice_changed)
        self.revalidate()
        self._on_choice_changed()

    def _target_text_chosen(self) -> bool:
        return bool(self.target.currentText().strip())

    def problems(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.by_feeder and self.feeder.current_id() is None:
            out["feeder"] = self.tr("Pick a feeder from the list.")
        if not self._target_text_chosen():
            out["target"] = self.tr("Pick the grid to move them into.")
        elif not self.target.is_valid():
            out["target"] = self.tr("Pick a grid from the list.")
        return out

    def _on_choice_changed(self, *_args: object) -> None:
        self._preview_generation += 1
        generation = self._preview_generation
        if self._preview_task is not None:
            self._preview_task.cancel()
            self._preview_task = None
        if self.problems():
            self.preview.setText("")
            return
        db = self.ctx.db
        grid_id = self.target.current_id()
        feeder_id = self.feeder.current_id() if self.by_feeder else None
        ta_ids = self.ta_ids

        def work(_progress: object) -> MoveResult:
            with db.read() as s:
                ids = grid_svc.feeder_transformer_areas(s, feeder_id) if feeder_id else ta_ids
                return grid_svc.preview_move(s, grid_id=grid_id, ta_ids=ids)

        self.preview.setText(self.tr("Working out what would change…"))
        self._preview_task = run_in_background(
            self,
            work,
            on_success=lambda r: self._on_preview(generation, r),
            on_failure=lambda e: self._on_preview_failed(generation, e),
        )

    def _on_preview(self, generation: int, result: MoveResult) -> None:
        if generation != self._preview_generation:
            return
        self._preview_task = None
        lines = [
            self.tr(
                "{moved} transformer area(s) will move; {customers} customer(s) follow them."
            ).format(moved=len(result.moved), customers=f"{result.customers:,}")
        ]
        if result.unchanged:
            lines.append(
                self.tr("{count} are in this grid already.").format(count=len(result.unchanged))
            )
        if result.orders_left:
            lines.append(
                self.tr(
                    "{count} open work order(s) stay on their old grid until the lead reassigns them."
                ).format(count=len(result.orders_left))
            )
        self.preview.setStyleSheet("")
        self.preview.setText("\n".join(lines))

    def _on_preview_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._preview_generation:
            return
        self._preview_task = None
        self.preview.setStyleSheet(f"color: {ERROR_COLOR};")
        self.preview.setText(error_text(error))

    def saver(self) -> Saver:
        grid_id = self.target.current_id()
        feeder_id = self.feeder.current_id() if self.by_feeder else None
        ta_ids = list(self.ta_ids)

        def save(session: Session, actor: Actor) -> MoveResult:
            if feeder_id is not None:
                return grid_svc.move_feeder(
                    session=session, actor=actor, feeder_id=feeder_id, grid_id=grid_id
                )
            return grid_svc.move_transformer_areas(
                session=session, actor=actor, grid_id=grid_id, ta_ids=ta_ids
            )

        return save


# ---- a customer whose transformer area is unknown


class CustomerAreaDialog(ServiceDialog):
    """Link one customer to a transformer area (the areas of their community first)."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        customer_id: int,
        describe: str,
        areas: list[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("customer_area_dialog")
        self.customer_id = customer_id
        self.setWindowTitle(self.tr("Transformer area of a customer"))
        who = QLabel(describe)
        who.setObjectName("customer_area_who")
        who.setWordWrap(True)
        who.setTextFormat(Qt.TextFormat.PlainText)
        self.area = Picker(areas)
        self.area.setObjectName("customer_area_picker")
        self.area.setCurrentIndex(-1)
        self.area.setEditText("")
        form = QFormLayout()
        form.addRow(self.tr("Customer"), who)
        form.addRow(self.tr("Transformer area"), self.area)
        form.addRow("", self.field_label("area"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())
        self.watch(self.area)
        self.revalidate()

    def problems(self) -> dict[str, str]:
        if self.area.current_id() is None:
            if self.area.currentText().strip():
                return {"area": self.tr("Pick a transformer area from the list.")}
            return {"area": self.tr("Pick the customer's transformer area.")}
        return {}

    def saver(self) -> Saver:
        ta_id, customer_id = self.area.current_id(), self.customer_id

        def save(session: Session, actor: Actor) -> None:
            grid_svc.set_customer_transformer_area(
                session=session, actor=actor, customer_id=customer_id, ta_id=ta_id
            )

        return save
