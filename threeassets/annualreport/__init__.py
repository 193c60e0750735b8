"""The annual work report (年度报告) the system writes itself: the document model and its PDF and Word layouts,
and the official tables of requests for disclosure."""
