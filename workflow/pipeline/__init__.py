"""The election pipeline: stages and their guards, facts, deadlines, margins, a unit's list rules."""
