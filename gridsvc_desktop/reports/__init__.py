"""PDF reports with reportlab: the font, one page template, fast paged tables,
charts, and one module per report (see docs/reports.md).

Importing this package is cheap; reportlab is imported by the modules that draw.
The catalogue, permissions and the audit trail live in services/reports.py,
which is what the program and `gridsvc report` call.
"""
