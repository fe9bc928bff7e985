"""The election meeting's count: quorum, ballot validity, majority, ties and further rounds."""
