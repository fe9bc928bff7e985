"""Use cases: one function = one use case = one transaction + one audit entry (style.md §4.4).

Services take a Session, the acting user and `now`; they never see Flask's request or current_user.
"""
