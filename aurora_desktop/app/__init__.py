"""Wiring: the one place that builds Aurora's objects and starts the app."""
