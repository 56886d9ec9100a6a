"""The version of the shipped model; the artifact files are named after it."""

MODEL_VERSION = "2026.11-svm1"
