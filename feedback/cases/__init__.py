"""Complaint cases (phản ánh): opened from unhappy responses, handled through a workflow with an
append-only timeline, answered to the citizen, followed up, and watched by per-centre alerts."""
