"""The user manual inside the application (帮助)."""
