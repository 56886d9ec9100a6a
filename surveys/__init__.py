"""Asking: where we ask (units, centres, counters, staff), what we ask, and how (QR codes;
kiosks, visit links and form tickets in `channels`)."""
