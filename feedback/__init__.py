"""Listening: what citizens said and what happens next (responses, tags, cases, scores, exports)."""
