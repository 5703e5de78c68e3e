"""Dialogs of the roster page: a person's details, and their leave with a substitute."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain import normalize
from gridsvc_desktop.domain.enums import Specialty
from gridsvc_desktop.services import grids as grid_svc
from gridsvc_desktop.services import roster
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.roster import LeaveRow, StaffRow
from gridsvc_desktop.ui.background import Task, error_text, run_in_background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.service_dialog import Saver, ServiceDialog
from gridsvc_desktop.ui.drafts import keep_draft
from gridsvc_desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QFormLayout,
    QGridLayout,
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
)
from gridsvc_desktop.ui.widgets.picker import Picker

#: Positions (岗位) offered; any other text may be typed.
POSITIONS = (
    "网格客户经理",
    "网格服务专员",
    "台区经理",
    "抢修员",
    "抄表员",
    "收费员",
    "用电检查员",
    "业扩报装员",
    "营业员",
    "营业班长",
    "抢修班长",
    "安全员",
    "副所长",
    "所长",
)


@dataclass
class RosterChoices:
    areas: list[tuple[int, str]] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    staff: list[tuple[int, str]] = field(default_factory=list)
    grids: list[tuple[int, str]] = field(default_factory=list)
    employee_nos: dict[str, int] = field(default_factory=dict)


def load_roster_choices(db: Database) -> RosterChoices:
    from sqlmodel import select

    from gridsvc_desktop.db.models import Staff

    with db.read() as s:
        return RosterChoices(
            areas=[(c.id, c.label) for c in grid_svc.area_choices(s)],
            teams=roster.teams(s),
            staff=roster.staff_choices(s),
            grids=[(c.id, c.label) for c in grid_svc.grid_choices(s)],
            employee_nos={
                no: int(i) for i, no in s.execute(select(Staff.id, Staff.employee_no)).all() if i
            },
        )


class StaffDialog(ServiceDialog):
    """Add a person to the roster, or edit one (`row` given)."""

    def __init__(
        self,
        ctx: UiContext,
        choices: RosterChoices,
        row: StaffRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("staff_dialog")
        self.choices = choices
        self.row = row
        self.setWindowTitle(self.tr("Edit person") if row else self.tr("New person"))

        self.employee_no = QLineEdit(row.employee_no if row else "")
        self.employee_no.setObjectName("staff_employee_no")
        self.employee_no.setReadOnly(row is not None)
        self.name = QLineEdit(row.name if row else "")
        self.name.setObjectName("staff_name")
        self.phone = QLineEdit(row.phone if row else "")
        self.phone.setObjectName("staff_phone")
        self.phone.setPlaceholderText(self.tr("Mobile, or landline with area code"))
        self.position = QComboBox()
        self.position.setObjectName("staff_position")
        self.position.setEditable(True)
        self.position.addItems(list(POSITIONS))
        self.position.setEditText(row.position if row else "")
        self.team = QComboBox()
        self.team.setObjectName("staff_team")
        self.team.setEditable(True)
        self.team.addItems(choices.teams)
        self.team.setEditText(row.team if row else "")
        self.base = Picker(choices.areas, none_text=self.tr("(not known)"))
        self.base.setObjectName("staff_base")
        self.base.set_current_id(row.base_area_id if row else None)
        self.specialties: dict[Specialty, QCheckBox] = {}
        spec_box = QGridLayout()
        for i, sp in enumerate(Specialty):
            box = QCheckBox(sp.label)
            box.setObjectName(f"staff_spec_{sp.value}")
            box.setChecked(row is not None and sp in row.specialties)
            self.specialties[sp] = box
            spec_box.addWidget(box, i // 3, i % 3)
        self.notes = QPlainTextEdit(row.notes if row else "")
        self.notes.setObjectName("staff_notes")
        self.notes.setFixedHeight(self.fontMetrics().height() * 3 + 12)

        form = QFormLayout()
        form.addRow(self.tr("Employee no."), self.employee_no)
        form.addRow("", self.field_label("employee_no"))
        form.addRow(self.tr("Name"), self.name)
        form.addRow("", self.field_label("name"))
        form.addRow(self.tr("Mobile"), self.phone)
        form.addRow("", self.field_label("phone"))
        form.addRow(self.tr("Position"), self.position)
        form.addRow(self.tr("Team"), self.team)
        form.addRow(self.tr("Based in"), self.base)
        form.addRow("", self.field_label("base_area_id"))
        form.addRow(self.tr("Specialties"), spec_box)
        form.addRow("", self.field_label("specialties"))
        form.addRow(self.tr("Notes"), self.notes)
        hint = QLabel(
            self.tr(
                "Where a person is based decides which grids they can reach in time "
                "(see the coverage check)."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6b7a;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(max(480, self.sizeHint().width()), self.sizeHint().height())
        self.watch(self.employee_no, self.name, self.phone, self.base, *self.specialties.values())
        self.revalidate()
        keep_draft(self, f"staff/{row.id if row else 'new'}")

    def problems(self) -> dict[str, str]:
        out: dict[str, str] = {}
        number = normalize.clean_text(self.employee_no.text()).upper()
        if not number:
            out["employee_no"] = self.tr("Enter the employee number.")
        elif self.row is None and number in self.choices.employee_nos:
            out["employee_no"] = self.tr("Someone on the roster has this number.")
        if not self.name.text().strip():
            out["name"] = self.tr("Enter the name.")
        phone = self.phone.text().strip()
        if phone:
            try:
                normalize.phone(phone)
            except normalize.NormalizeError as exc:
                out["phone"] = self.tr("Not a phone number: {reason}").format(reason=str(exc))
        if not self.base.is_valid():
            out["base_area_id"] = self.tr("Pick a town or community from the list.")
        if not any(box.isChecked() for box in self.specialties.values()):
            out["specialties"] = self.tr("Tick at least one specialty.")
        return out

    def saver(self) -> Saver:
        data = roster.StaffInput(
            employee_no=self.employee_no.text(),
            name=self.name.text(),
            phone=self.phone.text(),
            position=self.position.currentText(),
            team=self.team.currentText(),
            specialties=[sp for sp, box in self.specialties.items() if box.isChecked()],
            notes=self.notes.toPlainText().strip(),
            base_area_id=self.base.current_id(),
        )
        row = self.row

        def save(session: Session, actor: Actor) -> int:
            if row is None:
                staff = roster.create_staff(session=session, actor=actor, data=data)
                assert staff.id is not None
                return staff.id
            roster.update_staff(
                session=session, actor=actor, staff_id=row.id, data=data,
                expected_version=row.version,
            )  # fmt: skip
            return row.id

        return save


class LeaveDialog(ServiceDialog):
    """A person's leave: what is on record (withdraw), and new leave with a substitute."""

    def __init__(
        self,
        ctx: UiContext,
        row: StaffRow,
        staff: list[tuple[int, str]],
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("leave_dialog")
        self.row = row
        self.today = today or dt.date.today()
        self.leaves: list[LeaveRow] = []
        self._list_task: Task | None = None
        self.changed = False
        self.setWindowTitle(self.tr("Leave of {name}").format(name=row.name))

        self.list = QListWidget()
        self.list.setObjectName("leave_list")
        self.list.setMaximumHeight(self.fontMetrics().height() * 6)
        self.withdraw = QPushButton(self.tr("Withdraw"))
        self.withdraw.setObjectName("leave_withdraw")
        self.withdraw.setEnabled(False)
        self.start = QDateEdit()
        self.start.setObjectName("leave_start")
        self.end = QDateEdit()
        self.end.setObjectName("leave_end")
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(self.today.year, self.today.month, self.today.day))
        self.substitute = Picker(
            [(i, label) for i, label in staff if i != row.id],
            none_text=self.tr("(no substitute)"),
        )
        self.substitute.setObjectName("leave_substitute")
        self.reason = QComboBox()
        self.reason.setObjectName("leave_reason")
        self.reason.setEditable(True)
        self.reason.addItems(["年休假", "病假", "事假", "婚假", "产假", "培训", "外出学习"])
        self.reason.setEditText("")

        on_record = QVBoxLayout()
        on_record.addWidget(QLabel(self.tr("On record (current and coming):")))
        row_layout = QHBoxLayout()
        row_layout.addWidget(self.list, 1)
        row_layout.addWidget(self.withdraw, 0, Qt.AlignmentFlag.AlignTop)
        on_record.addLayout(row_layout)
        form = QFormLayout()
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        form.addRow("", self.field_label("end"))
        form.addRow(self.tr("Substitute"), self.substitute)
        form.addRow("", self.field_label("substitute_id"))
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow("", self.field_label("start"))
        layout = QVBoxLayout(self)
        layout.addLayout(on_record)
        title = QLabel(self.tr("New leave"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(500, self.sizeHint().height())

        self.watch(self.start, self.end, self.substitute)
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.withdraw.clicked.connect(self._on_withdraw_clicked)
        self.revalidate()
        self.reload()

    # ---- what is on record

    def reload(self) -> None:
        db, staff_id, today = self.ctx.db, self.row.id, self.today

        def work(_p: object) -> list[LeaveRow]:
            with db.read() as s:
                return roster.leaves_of(s, staff_id, since=today)

        self._list_task = run_in_background(self, work, on_success=self._on_leaves_loaded)

    def _on_leaves_loaded(self, leaves: list[LeaveRow]) -> None:
        self._list_task = None
        self.leaves = leaves
        self.list.clear()
        for lv in leaves:
            who = lv.substitute or self.tr("no substitute")
            text = self.tr("{start} to {end}, {who} stands in").format(
                start=lv.start.isoformat(), end=lv.end.isoformat(), who=who
            )
            if lv.reason:
                text += f"（{lv.reason}）"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, lv.id)
            self.list.addItem(item)
        if not leaves:
            self.list.addItem(QListWidgetItem(self.tr("None")))
        self.revalidate()

    def _on_list_current_row_changed(self, row: int) -> None:
        item = self.list.item(row)
        self.withdraw.setEnabled(
            item is not None and item.data(Qt.ItemDataRole.UserRole) is not None
        )

    def _on_withdraw_clicked(self) -> None:
        item = self.list.currentItem()
        leave_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if leave_id is None:
            return
        ctx = self.ctx

        def work(_p: object) -> None:
            actor = ctx.acting()
            with ctx.db.write() as s:
                roster.cancel_leave(session=s, actor=actor, leave_id=int(leave_id))

        self.withdraw.setEnabled(False)
        run_in_background(
            self, work, on_success=self._on_withdrawn, on_failure=self._on_withdraw_failed
        )

    def _on_withdrawn(self, _r: object) -> None:
        self.changed = True
        self.reload()

    def _on_withdraw_failed(self, error: BaseException) -> None:
        self.message.setText(error_text(error))
        self.message.setVisible(True)

    # ---- new leave

    def _dates(self) -> tuple[dt.date, dt.date]:
        s, e = self.start.date(), self.end.date()
        return (
            dt.date(s.year(), s.month(), s.day()),
            dt.date(e.year(), e.month(), e.day()),
        )

    def problems(self) -> dict[str, str]:
        out: dict[str, str] = {}
        start, end = self._dates()
        if end < start:
            out["end"] = self.tr("The leave cannot end before it starts.")
        else:
            for lv in self.leaves:
                if lv.start <= end and lv.end >= start:
                    out["start"] = self.tr(
                        "There is leave on record from {start} to {end}."
                    ).format(start=lv.start.isoformat(), end=lv.end.isoformat())
                    break
        if not self.substitute.is_valid():
            out["substitute_id"] = self.tr("Pick the substitute from the roster.")
        return out

    def saver(self) -> Saver:
        start, end = self._dates()
        data = roster.LeaveInput(
            staff_id=self.row.id,
            start=start,
            end=end,
            substitute_id=self.substitute.current_id(),
            reason=self.reason.currentText(),
        )

        def save(session: Session, actor: Actor) -> int:
            leave = roster.add_leave(session=session, actor=actor, data=data)
            assert leave.id is not None
            return leave.id

        return save
