"""Signed-in reporting pages."""
