"""Requests for disclosure (依申请公开) received at the service hall: their flow, statutory clock and yearly count."""
