"""The Qt desktop interface. Only this package (and app.py) knows about Qt.

Every module here imports Qt names from `gridsvc_desktop.ui.qt`, never from
PySide6 directly, so the binding is chosen in one place.
"""
