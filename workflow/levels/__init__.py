"""Rules between levels: a congress's structure requirements over all its 选举单位 (docs/rules.md §8)."""
