"""The organisations: 推荐单位 and 党代表工作室."""
