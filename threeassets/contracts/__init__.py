"""Contracts that let assets and resources, their installments and receipts."""
