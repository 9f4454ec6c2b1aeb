"""考核驾驶舱: the seed's targets, reported and computed indicators, approval and 赛马比拼."""
