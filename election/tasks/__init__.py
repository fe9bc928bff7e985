"""Background work: long exports and imports in a thread, with a progress page."""
