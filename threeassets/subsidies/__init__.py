"""惠农政策, 农户 and 补贴发放: the township's policy catalogue, the villages' households, subsidy lists with their
public notice (公示) and the bank's payment record. Subsidies never post to a village's books (docs/subsidies.md)."""
