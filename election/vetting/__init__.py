"""考察 and 公示: vetting records, 纪检 opinions, the two public notices and their complaints."""
