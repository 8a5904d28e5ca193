"""PDFs made away from members: a queue in the database and a render worker."""
