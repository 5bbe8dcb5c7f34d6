"""Error-code reference for the Easemob IM REST API: catalog loader, checks and page renderer."""
