"""Dialogs: built in code, every change saved through a service with the acting user."""
