"""Rendering: WTForms classes, form-text markup and plain-text views."""
