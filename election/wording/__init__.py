"""公文措辞: each election's own wording of the 公示 and the 情况报告 (a template per document kind with {名称}
placeholders, election.documents.wording), kept, previewed, changed and restored to the default by the office."""
