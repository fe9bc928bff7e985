"""差额选举: candidates, the meeting, ballot rounds, the tellers' count, results and reports."""
