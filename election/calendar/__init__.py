"""The working-day calendar with the admin's holiday table."""
