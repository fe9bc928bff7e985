"""Levels (上下级): the upper committee's election over its 选举单位 — seats and structure set from above, packages
reported up (初步人选 同意, 预备人选 初步审查 and 批复, 选举结果) and decided there, the upper committee's own nominees,
and its view of the whole congress."""
