"""The asking side of the channels: enrolled kiosks, visits and the API tokens of queue systems,
signed form tickets, and the secrets they hand out. The endpoints that take answers through them
are in feedback.intake."""
