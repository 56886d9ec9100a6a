"""Staff evaluation for HR: integrity flags and exclusions, per-staff scores per period, grades,
contests, screens and exportable reports. The method is explained on /hr/method."""
