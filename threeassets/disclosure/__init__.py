"""Disclosure notices (财务公开榜), their workflow, PDFs and public verification."""
