"""The yardsticks leaders are judged on: Decision 766/QĐ-TTg ratios and the SIPAS factors."""
