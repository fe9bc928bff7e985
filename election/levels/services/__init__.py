"""上下级 use cases, one module per part: ``setup`` (congress, allocations, timeline, pushing them to the
children), ``nominees`` (the upper committee's own nominees), ``reports`` (packages up, decisions down) and
``overview`` (the upper committee's reads)."""
