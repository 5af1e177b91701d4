"""Signed webhooks to the unified platform (全省统一平台) on publication and withdrawal of decisions."""
