"""The organisation directory (组织机构) as plain data: the tree of party organisations, its rules and order."""
