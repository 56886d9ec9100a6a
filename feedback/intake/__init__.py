"""Intake: the four doors through which answers reach the one recording service
(feedback.services.record_response), one module per channel plus the glue they share.

- `qr`: the form behind a counter's QR code (/s/<token>), its thank-you page and the privacy
  notice it links to;
- `kiosk` (pages and JSON endpoint) and `kiosk_sync` (rules for answers delivered late by an
  offline tablet): the enrolled tablet at a counter (/k/...);
- `visits`: the one-time link printed on a queue ticket (/v/<token>);
- `api` and `openapi`: the visits API a queue system calls to get those links (/api/v1);
- `submission`: what the HTML forms share (form to submission, storing once, the reference of
  the case an answer opened).

What each channel stores about (kiosks, visits, API tokens, form tickets) lives on the asking
side, in surveys.channels.
"""
