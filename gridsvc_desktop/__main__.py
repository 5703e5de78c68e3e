"""`python -m gridsvc_desktop`: the desktop program (the CLI is `gridsvc`)."""

import sys

from gridsvc_desktop.app import main

sys.exit(main())
