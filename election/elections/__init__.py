"""An election's set-up and its pipeline: 工作方案, seats, allocations, timeline, decisions, stage moves."""
