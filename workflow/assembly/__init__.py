"""党代会年会 (docs/rules.md §7): the quorum of a session on the current roll, the 民主评议/民主测评/信任投票 figures
with their checks, the comparison of two tellers' entries and the results per object, and the follow-up of what a
session raised as listed on the next session's agenda."""
