"""Entry point of both executables in the bundle.

The bundle holds two programs built from one analysis: `gridsvc-desktop` (the
window, no console on Windows) and `gridsvc` (the command line, with a
console). Both run this script; the executable's own name picks the program,
so one set of libraries serves both.

`gridsvc self-test` runs the desktop program's self-test from the console
executable: on Windows the windowed `gridsvc-desktop.exe` has no console to
print to (it writes its report to %TEMP%\\gridsvc-selftest.txt instead).
"""

from __future__ import annotations

import sys
from pathlib import Path

CLI_NAMES = ("gridsvc",)


def main() -> int:
    if Path(sys.executable).stem.lower() in CLI_NAMES:
        if sys.argv[1:2] == ["self-test"]:
            from gridsvc_desktop.app import main as app_main

            return app_main(["--self-test", *sys.argv[2:]])
        from gridsvc_desktop.cli import main as cli_main

        return cli_main()
    from gridsvc_desktop.app import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
