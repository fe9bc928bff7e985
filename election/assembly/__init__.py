"""党代会年会 (the congress in session during its term): the yearly session — notice, agenda, 列席, materials,
sign-in and quorum, groups and minutes, 提案 with their 立案 review, 民主评议/民主测评/信任投票 counted by two
tellers, resolutions and follow-up — and, between sessions, 列席 of the committee's meetings and 询问/质询."""
