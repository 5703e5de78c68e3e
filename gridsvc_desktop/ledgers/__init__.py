"""Excel/CSV in and out: one spec per ledger kind (specs.py), safe readers
(safety.py, readers.py), detection of sheet, header row and kind (detect.py),
the read → map → coerce → validate pipeline (pipeline.py), the database side of
each kind (kinds/), and the writers (writer.py, exporters.py).

Importing this package is cheap: calamine and xlsxwriter load when a file is
read or written. The services that drive it are services/imports.py and
services/exports.py. See docs/ledgers.md.
"""
