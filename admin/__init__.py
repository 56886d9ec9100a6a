"""Administration of the asking side: organisation (centres, counters, staff, units and
mergers), QR codes and posters, surveys, staff rosters and kiosks, for signed-in administrators.

It sits above accounts (who may do what) and feedback (moving a counter rewrites the responses
attributed to it), so that surveys itself needs neither.
"""
