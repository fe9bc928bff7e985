"""公文措辞: use cases, pages, permissions and the documents they change."""
