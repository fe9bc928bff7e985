"""The GB/T 9704 page in numbers: the typefaces, the sizes (in half-points, as WordprocessingML stores them),
the A4 paper, margins, line grid and character spacing, and the text widths that follow from them.
"""
from __future__ import annotations

# ---------------------------------------------------------------------------------------------- fonts, sizes
FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

# Sizes in half-points, as WordprocessingML stores them.
SIZE_2 = 44        # 二号 22 pt: title
SIZE_SMALL_2 = 36  # 小二 18 pt
SIZE_3 = 32        # 三号 16 pt: body, headings
SIZE_4 = 28        # 四号 14 pt: page numbers, ballot instructions
SIZE_SMALL_4 = 24  # 小四 12 pt: table text

# ---------------------------------------------------------------------------------------------- page
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = 26
FOOTER_DISTANCE_MM = 25
LINE_PITCH_TWIPS = 579          # 22 lines in 225 mm; 580 gives 21 in LibreOffice
CHAR_SPACING_TWENTIETHS = -5    # −0.25 pt, so 28 characters fit the 156 mm line
TITLE_LINE_TWIPS = 640          # exact 32 pt lines for the 2号 title
BODY_CHAR_TWIPS = 320           # one 三号 character (16 pt) for indents
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM   # 156
LANDSCAPE_TEXT_WIDTH_MM = PAGE_HEIGHT_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 243
