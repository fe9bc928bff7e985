"""推荐提名: the units' nominee lists, their upload template and reader, submission."""
