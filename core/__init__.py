"""Shared plumbing: database, i18n, forms, errors and configuration used by every feature."""
