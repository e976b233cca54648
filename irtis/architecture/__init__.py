"""Architecture descriptions of the infrastructure and of each information system (statute 1.3,
1.4, 2.12, 2.13), generated from the live database as HTML, DOCX and PDF."""
