"""User management (admins): add, role, disable, set password, unlock."""

from __future__ import annotations

from gridsvc_desktop.domain.enums import Role
from gridsvc_desktop.services import auth
from gridsvc_desktop.services.actor import PermissionDenied
from gridsvc_desktop.services.common import InvalidInput, NotFound
from gridsvc_desktop.ui.context import UiContext
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
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.customer_card import WARNING_COLOR

USER_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setProperty("draft", False)
    return edit


class UsersDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = ctx.acting()
        self.setObjectName("users_dialog")
        self.setWindowTitle(self.tr("Users"))
        self.resize(640, 420)
        layout = QHBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("user_list")
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        layout.addWidget(self.list, 1)

        side = QVBoxLayout()
        form = QFormLayout()
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("username")
        self.display_edit = QLineEdit()
        self.display_edit.setObjectName("display_name")
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("role")
        for role in Role:
            self.role_combo.addItem(role.label, role.value)
        self.password_edit = _password_edit("password")
        form.addRow(self.tr("User name"), self.username_edit)
        form.addRow(self.tr("Name"), self.display_edit)
        form.addRow(self.tr("Role"), self.role_combo)
        form.addRow(self.tr("Password"), self.password_edit)
        side.addLayout(form)
        self.status_label = QLabel()
        self.status_label.setObjectName("user_status")
        self.status_label.setWordWrap(True)
        side.addWidget(self.status_label)
        self.error_label = QLabel()
        self.error_label.setObjectName("users_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {WARNING_COLOR};")
        side.addWidget(self.error_label)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add user"))
        self.add_button.setObjectName("add_user")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.save_button = QPushButton(self.tr("Save role and name"))
        self.save_button.setObjectName("save_user")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.password_button = QPushButton(self.tr("Set password"))
        self.password_button.setObjectName("set_password")
        self.password_button.clicked.connect(self._on_password_button_clicked)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        self.active_button = QPushButton()
        self.active_button.setObjectName("toggle_active")
        self.active_button.clicked.connect(self._on_active_button_clicked)
        for b in (
            self.add_button,
            self.save_button,
            self.password_button,
            self.unlock_button,
            self.active_button,
        ):
            buttons.addWidget(b)
        side.addLayout(buttons)
        side.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        side.addWidget(close)
        layout.addLayout(side, 2)
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        with self.ctx.db.read() as s:
            users = auth.list_users(s, self.actor)
            rows = [(u.id, u.username, u.role.label, u.active, auth.is_locked(u)) for u in users]
        self.list.clear()
        for uid, name, role, active, locked in rows:
            state = (
                ""
                if active and not locked
                else (self.tr(" (locked)") if active else self.tr(" (disabled)"))
            )
            item = QListWidgetItem(f"{name} — {role}{state}")
            item.setData(USER_ID_ROLE, uid)
            self.list.addItem(item)
            if uid == select_id:
                self.list.setCurrentItem(item)

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(USER_ID_ROLE))

    def _on_list_current_item_changed(self, *_args: object) -> None:
        uid = self.selected_id()
        if uid is None:
            return
        with self.ctx.db.read() as s:
            user = next(u for u in auth.list_users(s, self.actor) if u.id == uid)
            self.username_edit.setText(user.username)
            self.display_edit.setText(user.display_name)
            self.role_combo.setCurrentIndex(self.role_combo.findData(user.role.value))
            self._active = user.active
            locked = auth.is_locked(user)
            self.status_label.setText(
                self.tr("Locked until {time}").format(time=f"{user.locked_until:%H:%M}")
                if locked and user.locked_until
                else ""
            )
        self.active_button.setText(self.tr("Disable") if self._active else self.tr("Enable"))

    def _run(self, fn: object) -> bool:
        self.error_label.clear()
        try:
            with self.ctx.db.write() as s:
                fn(s)  # type: ignore[operator]
        except (InvalidInput, PermissionDenied, NotFound) as exc:
            self.error_label.setText(str(exc))
            return False
        finally:
            self.password_edit.clear()
        return True

    def _on_add_button_clicked(self) -> None:
        password = self.password_edit.text()
        created: list[int] = []

        def add(s: object) -> None:
            user = auth.create_user(
                s,  # type: ignore[arg-type]
                self.actor,
                username=self.username_edit.text(),
                password=password,
                role=Role(self.role_combo.currentData()),
                display_name=self.display_edit.text(),
            )
            assert user.id is not None
            created.append(user.id)

        if self._run(add):
            self.refresh(created[0])

    def _on_save_button_clicked(self) -> None:
        uid = self.selected_id()
        if uid is None:
            return
        role = Role(self.role_combo.currentData())
        name = self.display_edit.text()
        if self._run(lambda s: auth.update_user(s, self.actor, uid, role=role, display_name=name)):
            self.refresh(uid)

    def _on_password_button_clicked(self) -> None:
        uid = self.selected_id()
        if uid is None:
            return
        password = self.password_edit.text()
        if self._run(lambda s: auth.set_password(s, self.actor, uid, password)):
            self.status_label.setText(self.tr("Password set."))

    def _on_unlock_button_clicked(self) -> None:
        uid = self.selected_id()
        if uid is not None and self._run(lambda s: auth.unlock(s, self.actor, uid)):
            self.refresh(uid)

    def _on_active_button_clicked(self) -> None:
        uid = self.selected_id()
        if uid is None:
            return
        active = not self._active
        if self._run(lambda s: auth.update_user(s, self.actor, uid, active=active)):
            self.refresh(uid)
