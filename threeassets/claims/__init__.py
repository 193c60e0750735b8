"""Village reimbursement claims (村级报账) and the agency's oversight board."""
