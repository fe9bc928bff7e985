"""代表任期履职: term delegates and offices, duty activities, points and rankings, 群众诉求, 提案, yearly review."""
