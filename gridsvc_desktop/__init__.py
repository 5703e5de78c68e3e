"""gridsvc_desktop: grid-based power-supply service for county stations (网格化供电服务)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gridsvc-desktop")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

APP_NAME = "gridsvc_desktop"
