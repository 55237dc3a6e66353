"""The SLA engine's pure core: business-time arithmetic and the SLA clock, with no database in sight."""
