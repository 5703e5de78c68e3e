"""The parameter form of the report page, built from a report's `ReportSpec.params`.

Rows for every kind of parameter exist once and are shown as the chosen report
needs them: the period (today, this week, this month, last month or any range),
the grid, the person, the outage and its compound, whether to list every order,
and whether to mask phone numbers. The choices (grids, people, outages,
compounds) are loaded by the page and handed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from gridsvc_desktop.services.reports import Choice, Param, ReportParams, ReportSpec, period_of
from gridsvc_desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QWidget,
    Signal,
)

PRESETS = ("today", "week", "month", "last_month", "custom")


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def preset_range(preset: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The dates of a period preset (None for "custom")."""
    if preset == "today":
        return today, today
    if preset == "week":
        return period_of("week", today)
    if preset == "month":
        return period_of("month", today)
    if preset == "last_month":
        return period_of("month", today.replace(day=1) - dt.timedelta(days=1))
    return None


class ReportParamsForm(QWidget):
    """Parameters of one report; `params()` reads them, `changed` says they moved."""

    changed = Signal()
    # The outage changed: the page loads that outage's compounds.
    outage_changed = Signal()

    def __init__(
        self, *, may_unmask: bool, today: dt.date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("report_params")
        self._today = today or dt.date.today()
        self._may_unmask = may_unmask
        self._spec: ReportSpec | None = None
        self._setting_dates = False

        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("report_period")
        for key, text in zip(
            PRESETS,
            (
                self.tr("Today"),
                self.tr("This week"),
                self.tr("This month"),
                self.tr("Last month"),
                self.tr("Custom range"),
            ),
            strict=True,
        ):
            self.preset_combo.addItem(text, key)
        self.start_edit = QDateEdit()
        self.start_edit.setObjectName("report_start")
        self.end_edit = QDateEdit()
        self.end_edit.setObjectName("report_end")
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.start_edit, 1)
        dates.addWidget(QLabel(self.tr("to")))
        dates.addWidget(self.end_edit, 1)
        self.dates_row = QWidget()
        self.dates_row.setLayout(dates)

        self.grid_combo = QComboBox()
        self.grid_combo.setObjectName("report_grid")
        self.staff_combo = QComboBox()
        self.staff_combo.setObjectName("report_staff")
        self.outage_combo = QComboBox()
        self.outage_combo.setObjectName("report_outage")
        self.compound_combo = QComboBox()
        self.compound_combo.setObjectName("report_compound")
        for combo in (self.grid_combo, self.staff_combo, self.outage_combo, self.compound_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        self.detail_check = QCheckBox(self.tr("List every order"))
        self.detail_check.setObjectName("report_detail")
        self.detail_check.setChecked(True)
        self.mask_check = QCheckBox(self.tr("Mask phone and ID numbers"))
        self.mask_check.setObjectName("report_mask")

        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(self.tr("Period:"), self.preset_combo)
        self.form.addRow("", self.dates_row)
        self.form.addRow(self.tr("Grid:"), self.grid_combo)
        self.form.addRow(self.tr("Person:"), self.staff_combo)
        self.form.addRow(self.tr("Outage:"), self.outage_combo)
        self.form.addRow(self.tr("Compound:"), self.compound_combo)
        self.form.addRow("", self.detail_check)
        self.form.addRow("", self.mask_check)

        self.set_grids([])
        self.set_staff([])
        self.set_outages([])
        self.set_compounds([])
        self.preset_combo.setCurrentIndex(PRESETS.index("month"))
        self._apply_preset()

        self.preset_combo.currentIndexChanged.connect(self._on_preset_combo_current_index_changed)
        self.start_edit.dateChanged.connect(self._on_date_edit_date_changed)
        self.end_edit.dateChanged.connect(self._on_date_edit_date_changed)
        self.grid_combo.currentIndexChanged.connect(self._on_any_changed)
        self.staff_combo.currentIndexChanged.connect(self._on_any_changed)
        self.outage_combo.currentIndexChanged.connect(self._on_outage_combo_current_index_changed)
        self.compound_combo.currentIndexChanged.connect(self._on_any_changed)
        self.detail_check.toggled.connect(self._on_any_changed)
        self.mask_check.toggled.connect(self._on_any_changed)

    # ---- the report

    def set_spec(self, spec: ReportSpec) -> None:
        """Show the rows `spec` takes, with "all" entries where a choice is optional."""
        self._spec = spec
        wants = set(spec.params)
        rows = {
            Param.period: (self.preset_combo, self.dates_row),
            Param.grid: (self.grid_combo,),
            Param.staff: (self.staff_combo,),
            Param.outage: (self.outage_combo,),
            Param.compound: (self.compound_combo,),
            Param.detail: (self.detail_check,),
        }
        for param, widgets in rows.items():
            for widget in widgets:
                self.form.setRowVisible(widget, param in wants)
        self._set_all_entry(self.grid_combo, Param.grid not in spec.required, self.tr("All grids"))
        if spec.posted:
            self.mask_check.setChecked(True)
            self.mask_check.setEnabled(False)
            self.mask_check.setToolTip(
                self.tr("Notices for posting never show customers' numbers.")
            )
        else:
            self.mask_check.setEnabled(self._may_unmask)
            self.mask_check.setChecked(not self._may_unmask)
            self.mask_check.setToolTip(
                "" if self._may_unmask else self.tr("Your role may not see full numbers.")
            )
        self.changed.emit()

    def spec(self) -> ReportSpec | None:
        return self._spec

    # ---- choices

    def set_grids(self, choices: Sequence[Choice]) -> None:
        optional = self._spec is None or Param.grid not in self._spec.required
        self._fill(self.grid_combo, choices, self.tr("All grids") if optional else None)

    def set_staff(self, choices: Sequence[Choice]) -> None:
        self._fill(self.staff_combo, choices, self.tr("Everyone"))

    def set_outages(self, choices: Sequence[Choice]) -> None:
        self._fill(self.outage_combo, choices, None)
        self.outage_changed.emit()

    def set_compounds(self, choices: Sequence[Choice]) -> None:
        self._fill(self.compound_combo, choices, self.tr("Every compound affected"))

    def _fill(self, combo: QComboBox, choices: Sequence[Choice], all_text: str | None) -> None:
        keep = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        if all_text is not None:
            combo.addItem(all_text, None)
        for choice in choices:
            combo.addItem(choice.label, choice.id)
        found = combo.findData(keep) if keep is not None else -1
        combo.setCurrentIndex(found if found >= 0 else 0)
        combo.blockSignals(False)

    def _set_all_entry(self, combo: QComboBox, wanted: bool, text: str) -> None:
        has = combo.count() > 0 and combo.itemData(0) is None
        if wanted and not has:
            combo.blockSignals(True)
            combo.insertItem(0, text, None)
            combo.setCurrentIndex(0)  # back to "all" when the choice becomes optional
            combo.blockSignals(False)
        elif not wanted and has:
            combo.blockSignals(True)
            combo.removeItem(0)
            combo.blockSignals(False)

    # ---- values

    def params(self) -> ReportParams:
        spec = self._spec
        wants = set(spec.params) if spec else set()
        start = end = None
        if Param.period in wants:
            start, end = _pydate(self.start_edit.date()), _pydate(self.end_edit.date())
        return ReportParams(
            start=start,
            end=end,
            grid_id=self.grid_combo.currentData() if Param.grid in wants else None,
            staff_id=self.staff_combo.currentData() if Param.staff in wants else None,
            outage_id=self.outage_combo.currentData() if Param.outage in wants else None,
            compound_id=self.compound_combo.currentData() if Param.compound in wants else None,
            detail=self.detail_check.isChecked(),
            masked=self.mask_check.isChecked(),
        )

    def missing(self) -> str:
        """What a required choice still lacks ("" when the form is complete)."""
        if self._spec is None:
            return self.tr("Choose a report.")
        if Param.grid in self._spec.required and self.grid_combo.currentData() is None:
            return self.tr("Choose a grid.")
        if Param.outage in self._spec.required and self.outage_combo.currentData() is None:
            return self.tr("Choose an outage.")
        return ""

    def set_period(self, start: dt.date, end: dt.date) -> None:
        self.preset_combo.setCurrentIndex(PRESETS.index("custom"))
        self._set_dates(start, end)

    # ---- slots

    def _apply_preset(self) -> None:
        dates = preset_range(str(self.preset_combo.currentData()), self._today)
        if dates is not None:
            self._set_dates(*dates)

    def _set_dates(self, start: dt.date, end: dt.date) -> None:
        self._setting_dates = True
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(end))
        self._setting_dates = False

    def _on_preset_combo_current_index_changed(self, _index: int) -> None:
        self._apply_preset()
        self.changed.emit()

    def _on_date_edit_date_changed(self, _date: QDate) -> None:
        if self._setting_dates:
            return
        if self.preset_combo.currentData() != "custom":
            self.preset_combo.blockSignals(True)
            self.preset_combo.setCurrentIndex(PRESETS.index("custom"))
            self.preset_combo.blockSignals(False)
        self.changed.emit()

    def _on_outage_combo_current_index_changed(self, _index: int) -> None:
        self.outage_changed.emit()
        self.changed.emit()

    def _on_any_changed(self, *_args: object) -> None:
        self.changed.emit()
