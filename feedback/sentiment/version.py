"""The version of the shipped models; the artifact files are named after it."""

MODEL_VERSION = "2026.12-nbx"

#: The "own" artifact, trained on the project's own comments only, is MODEL_VERSION + OWN_SUFFIX.
OWN_SUFFIX = "-own"
